"""Page-number pagination whose deep pages stay cheap on large tables (the staff list of a busy ward).

`OFFSET n` on a queryset reads n full rows only to skip them. Here the page's keys are chosen in a subquery
(ORDER BY … LIMIT … OFFSET over the ordering's index alone, an index-only scan) and only those rows are
read: still one query for the page, whatever its position (bench/dossiers.py: page 1,793 of a ward's
72,000 dossiers from 100 ms to a few ms).
"""

from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination


class KeyWindowPaginator(Paginator):
    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        window = rows.filter(pk__in=rows.values("pk")[bottom:top])
        return self._get_page(window, number, self)


class KeyWindowPagination(PageNumberPagination):
    django_paginator_class = KeyWindowPaginator
