"""GeoReport v2 resources under `/open311/v2/`, each as `.json` and `.xml`."""

from django.urls import re_path

from . import views

app_name = "open311"

FORMAT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^discovery" + FORMAT, views.discovery, name="discovery"),
    re_path(r"^services" + FORMAT, views.service_list, name="services"),
    re_path(r"^services/(?P<code>[\w-]+)" + FORMAT, views.service_definition, name="service"),
    re_path(r"^requests" + FORMAT, views.service_requests, name="requests"),
    re_path(r"^requests/(?P<service_request_id>[\w-]+)" + FORMAT, views.request_detail, name="request"),
]
