"""Demo site settings: the park's identity, written in our own words."""

from django.db import transaction

from . import actions
from .models import IndustryCluster, SiteSettings
from .seed import seed_clusters


@transaction.atomic
def load(*, by) -> None:
    seed_clusters(IndustryCluster)
    site = SiteSettings.objects.filter(pk=1).first() or SiteSettings(pk=1)
    if site.created_by_id:  # already set up (possibly edited by an admin): keep it
        return
    site.site_name = "乌鲁木齐高新区（新市区）门户网站"
    site.site_domain = "www.example-park.gov.cn"
    site.site_id_code = "6501040001"
    site.sponsor = "乌鲁木齐高新技术产业开发区管理委员会"
    site.organizer = "高新区（新市区）党政办公室"
    site.icp_number = "新ICP备00000000号-1"
    site.police_number = "新公网安备 65010400000000号"
    site.conac_url = ""
    site.address = "新疆乌鲁木齐市新市区（示例地址）"
    site.postcode = "830000"
    site.phone = "0991-0000000"
    site.email = "service@example-park.gov.cn"
    actions.update_site_settings(site, by=by, changed_fields=["demo"])
