from .navigation import MAIN_NAVIGATION


def navigation(request):
    return {"main_navigation": MAIN_NAVIGATION}
