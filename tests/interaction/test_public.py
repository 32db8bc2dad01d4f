"""The public side of 互动交流: the message form and its anti-spam, the tracking lookup,
published consultations, and personal data never public."""

import re
import time

import pytest

from apps.core.models import OutboxMessage
from apps.interaction import antispam
from apps.interaction.models import Consultation, Message

from .conftest import PERSONAL, form_data

pytestmark = pytest.mark.django_db


def post(client, **over):
    return client.post("/interaction/write/", form_data(**over), REMOTE_ADDR=over.pop("addr", "10.9.9.9"))


def test_a_visitor_submits_a_message_and_gets_a_tracking_number(client):
    response = post(client)
    assert response.status_code == 200
    message = Message.objects.get()
    assert message.tracking_number in response.content.decode()
    assert re.fullmatch(r"LY\d{4}-[3-9A-Y]{4}-[3-9A-Y]{2}", message.tracking_number)
    assert message.publish_consent and message.state == "submitted" and message.name == PERSONAL["name"]
    assert OutboxMessage.objects.filter(task_name="interaction.confirm", args=[message.pk]).exists()


def test_the_form_works_without_javascript_and_is_never_cached(client):
    response = client.get("/interaction/write/")
    html = response.content.decode()
    assert response.status_code == 200 and "X-Page-Cache" not in response
    assert 'name="started"' in html and 'name="website"' in html and "<script" not in html.split("<main")[-1]
    assert antispam.form_age(re.search(r'name="started" value="([^"]+)"', html).group(1)) < 5


def test_the_honeypot_refuses_a_filled_field(client):
    response = post(client, website="http://spam.example")
    assert response.status_code == 400 and "请勿填写此项" in response.content.decode()
    assert not Message.objects.exists()


def test_a_form_posted_too_soon_is_refused_and_shown_again_filled_in(client):
    response = post(client, started=antispam.new_form_token(time.time() - 1))
    html = response.content.decode()
    assert response.status_code == 400 and "提交过快" in html
    assert not Message.objects.exists()
    assert "人才公寓什么时候开放申请？" in html  # what was typed is kept
    fresh = re.search(r'name="started" value="([^"]+)"', html).group(1)
    assert 0 <= antispam.form_age(fresh) < 5  # a new timestamp to post again


@pytest.mark.parametrize("token", ["", "garbage", "1700000000000"])
def test_a_missing_or_forged_timestamp_is_refused(client, token):
    assert post(client, started=token).status_code == 400
    assert not Message.objects.exists()


def test_an_expired_form_is_refused(client, settings):
    settings.PARKPORTAL_INTERACTION_FORM_MAX_AGE = 60
    assert post(client, started=antispam.new_form_token(time.time() - 120)).status_code == 400
    assert not Message.objects.exists()


def test_posts_are_rate_limited_per_address(client, settings):
    settings.PARKPORTAL_INTERACTION_SUBMIT_LIMIT = 2
    assert post(client).status_code == 200
    assert post(client).status_code == 200
    response = post(client)
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert Message.objects.count() == 2
    assert client.post("/interaction/write/", form_data(), REMOTE_ADDR="10.1.1.1").status_code == 200


@pytest.mark.parametrize(("over", "message"), [
    ({"name": ""}, "请填写姓名"),
    ({"phone": "12"}, "有效的联系电话"),
    ({"email": "not-an-address"}, "有效的电子邮箱"),
    ({"kind": "praise"}, "留言类型"),
    ({"text": "<script>alert(1)</script>"}, "纯文本"),
    ({"text": "长" * 3001}, "3000"),
])
def test_bad_input_is_a_chinese_400_and_saves_nothing(client, over, message):
    response = post(client, **over)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Message.objects.exists()


def test_personal_data_is_never_public(client, desk):
    published = desk.replied()
    pages = ["/", "/interaction/", published.get_absolute_url(), "/zh-hant/interaction/",
             "/zh-hant" + published.get_absolute_url(), "/sitemap.xml"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for value in PERSONAL.values():
            assert value not in html, (url, value)
        assert "13912345678"[-4:] + "<" not in html
    html = client.get(published.get_absolute_url()).content.decode()
    for needle in ("受理日期", "答复日期", "答复部门", "高新区人才办", "人才公寓将于下月开放申请", "浏览次数"):
        assert needle in html


def test_a_reply_whose_writer_declined_publication_is_never_public(client, desk):
    private = desk.replied(publish_consent=False, subject="不公开的留言")
    assert private.visibility == "live" and not private.public
    assert client.get(private.get_absolute_url()).status_code == 404
    for url in ("/interaction/", "/sitemap.xml", "/"):
        assert "不公开的留言" not in client.get(url).content.decode()


def test_replies_are_public_only_after_review_and_publication(client, desk):
    from apps.interaction import actions

    message = desk.accepted(subject="等待审核的答复")
    consultation = actions.draft_reply(message, by=desk.agent, reply="<p>草稿答复</p>")
    assert client.get(consultation.get_absolute_url()).status_code == 404
    assert "等待审核的答复" not in client.get("/interaction/").content.decode()


def test_the_writer_looks_up_their_message_with_the_tracking_number_and_phone(client, desk):
    consultation = desk.replied(publish_consent=False)
    number = consultation.message.tracking_number
    response = client.post("/interaction/track/", {"tracking_number": number.lower().replace("-", " - "),
                                                   "phone": "139-1234-5678"})
    html = response.content.decode()
    assert response.status_code == 200 and "人才公寓将于下月开放申请" in html and "已答复" in html
    assert PERSONAL["email"] not in html and PERSONAL["name"] not in html
    wrong = client.post("/interaction/track/", {"tracking_number": number, "phone": "13900000000"})
    assert wrong.status_code == 404 and "人才公寓将于下月开放申请" not in wrong.content.decode()
    assert client.post("/interaction/track/", {"tracking_number": "", "phone": ""}).status_code == 400


def test_the_lookup_is_rate_limited(client, desk, settings):
    settings.PARKPORTAL_INTERACTION_LOOKUP_LIMIT = 3
    message = desk.submitted()
    for _ in range(3):
        client.post("/interaction/track/", {"tracking_number": "LY2026-AAAA-AA", "phone": "1"})
    response = client.post("/interaction/track/", {"tracking_number": message.tracking_number, "phone": PERSONAL["phone"]})
    assert response.status_code == 429 and "查询过于频繁" in response.content.decode()


def test_list_and_detail_queries_stay_constant(client, desk, settings, django_assert_num_queries):
    first = desk.replied()
    client.get("/interaction/")
    settings.PARKPORTAL_PAGECACHE_ENABLED = False
    with django_assert_num_queries(2):  # count, page rows
        client.get("/interaction/")
    with django_assert_num_queries(3):  # the consultation, change notes, the view count
        client.get(first.get_absolute_url())
    last = None
    for i in range(22):
        last = desk.replied(subject=f"留言{i}")
    with django_assert_num_queries(2):
        client.get("/interaction/?page=2")
    with django_assert_num_queries(3):
        client.get(last.get_absolute_url())


def test_consultation_views_are_counted_but_never_a_private_one(client, desk):
    from apps.core import viewcounts

    public = desk.replied()
    private = desk.replied(publish_consent=False)
    browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
    client.get(public.get_absolute_url(), HTTP_USER_AGENT=browser)
    client.get(private.get_absolute_url(), HTTP_USER_AGENT=browser)  # 404
    assert viewcounts.flush() == 1 and viewcounts.count_of(public) == 1 and viewcounts.count_of(private) == 0


def test_behind_the_proxy_each_client_is_limited_on_its_own_address(client, settings):
    # nginx in front (PARKPORTAL_TRUSTED_PROXIES=1): every request comes from the
    # proxy's address; the client is the entry the proxy appended to X-Forwarded-For.
    from parkportal.settings.behind_proxy import client_address_settings

    for name, value in client_address_settings(1).items():
        setattr(settings, name, value)
    settings.PARKPORTAL_INTERACTION_SUBMIT_LIMIT = 1
    proxy = "127.0.0.1"

    def via_proxy(forwarded):
        return client.post("/interaction/write/", form_data(), REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forwarded)

    assert via_proxy("203.0.113.5").status_code == 200
    assert via_proxy("203.0.113.5").status_code == 429
    assert via_proxy("198.51.100.9").status_code == 200  # another client, not locked out with the first
    assert via_proxy("198.51.100.77, 203.0.113.5").status_code == 429  # a forged prefix changes nothing


def test_without_a_proxy_a_forged_forwarded_header_does_not_dodge_the_limit(client, settings):
    settings.PARKPORTAL_INTERACTION_SUBMIT_LIMIT = 1
    assert post(client).status_code == 200
    response = client.post("/interaction/write/", form_data(), REMOTE_ADDR="10.9.9.9",
                           HTTP_X_FORWARDED_FOR="192.0.2.44")
    assert response.status_code == 429


def test_a_private_reply_links_to_its_preview_not_to_a_public_page_that_is_a_404(
    client, desk, people, django_capture_on_commit_callbacks, mailoutbox, broker_queue
):
    """Published but kept off the site (no consent): the admin's 在站点上查看 opens the
    preview, and the published mail to the author gives no public link."""
    from apps.editorial import actions as editorial
    from apps.interaction import actions

    message = desk.accepted(publish_consent=False, subject="不公开的答复")
    consultation = actions.draft_reply(message, by=desk.agent, reply="<p>已转人才办。</p>")
    editorial.submit(consultation, by=desk.agent)
    editorial.approve(consultation, by=people.reviewer)
    editorial.approve(consultation, by=people.publisher, publish=False)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        editorial.publish(consultation, by=people.publisher2)
    broker_queue.run(only="editorial.send_notification")
    consultation = Consultation._base_manager.get(pk=consultation.pk)
    public_url = consultation.get_absolute_url()
    assert consultation.visibility == "live" and not consultation.has_public_page
    assert mailoutbox and all(public_url not in m.body and "该内容不在网站公开" in m.body for m in mailoutbox)
    client.force_login(people.superuser)
    page = client.get(f"/admin/interaction/consultation/{consultation.pk}/change/").content.decode()
    view_on_site = re.search(r'<a href="([^"]+)" class="viewsitelink"', page).group(1)
    number = consultation.latest_revision.number
    assert view_on_site == f"/admin/interaction/consultation/{consultation.pk}/revisions/{number}/preview/"
