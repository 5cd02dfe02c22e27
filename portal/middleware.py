"""Vietnamese first: pages speak Vietnamese unless the visitor chose English with the switcher."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Pages ignore the browser's Accept-Language (many office PCs and phones in Vietnam run an English
    system, and a ward portal must not greet them in English); only the language cookie set by the
    switcher counts. The API still honours Accept-Language, which its clients set on purpose."""

    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
