"""Dashboards for supervisors, overseers and the ministry: counts across cases, drawn as SVG charts."""


def init_dashboard(app) -> None:
    from ..http import csrf
    from .views import dashboard_api, dashboard_pages

    csrf.exempt(dashboard_api)        # read-only; authenticated like app.api
    app.register_blueprint(dashboard_api)
    app.register_blueprint(dashboard_pages)
