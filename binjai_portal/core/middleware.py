class IndonesianFirstMiddleware:
    """Serve Indonesian unless the visitor chose English with the language switch.

    Many phones in Indonesia run an English system locale, so the browser's
    Accept-Language says little about the language a citizen reads best; the portal's
    language (LANGUAGE_CODE) comes first and the switch (a cookie) decides otherwise.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
