"""Logos and photos of enterprises and platforms: shown with their renditions and alt
text, part of every revision (and carried over by spreadsheet imports), and no
submission while an image lacks alt text or is not processed yet."""

import pytest

from apps.core.errors import InvalidTransition
from apps.editorial import actions as editorial
from apps.editorial.models import Revision
from apps.enterprises import actions
from apps.enterprises.models import Enterprise, EnterprisePhoto, Platform
from apps.core.spreadsheets import write_csv

from .conftest import refresh


def publish(item, people):
    first = refresh(item).first_published_at is None
    editorial.submit(item, by=people.editor)
    editorial.approve(item, by=people.reviewer)
    editorial.approve(item, by=people.publisher, publish=False)
    editorial.publish(item, by=people.publisher2, major=None if first else False)
    return refresh(item)


def test_enterprise_page_shows_the_logo_and_photos_in_order_with_alt_text(client, enterprises, assets, people):
    logo = assets.image(alt_text="天山新材料标志", caption="")
    first, second = assets.image(alt_text="生产车间"), assets.image(alt_text="研发中心", caption="自带说明")
    item = enterprises.draft(logo=logo, photos=[{"image": second, "caption": ""}, {"image": first, "caption": "五层共挤生产线"}])
    item = publish(item, people)
    html = client.get(item.get_absolute_url()).content.decode()
    assert 'alt="天山新材料标志"' in html and '<div class="enterprise-logo"><picture>' in html
    assert html.index('alt="研发中心"') < html.index('alt="生产车间"')  # the photos' order
    assert "<figcaption>自带说明</figcaption>" in html and "<figcaption>五层共挤生产线</figcaption>" in html
    assert "image/webp" in html  # renditions, not the private original
    directory = client.get("/enterprises/").content.decode()
    assert 'class="logo-thumb"' in directory and 'alt="天山新材料标志"' in directory


def test_platform_page_shows_its_photos(client, platforms, assets, people):
    photo = assets.image(alt_text="孵化器路演厅")
    item = publish(platforms.draft(photos=[{"image": photo, "caption": "路演厅"}]), people)
    html = client.get(item.get_absolute_url()).content.decode()
    assert 'alt="孵化器路演厅"' in html and "<figcaption>路演厅</figcaption>" in html


def test_a_photo_not_processed_yet_is_a_placeholder(client, enterprises, assets, people):
    image = assets.image(alt_text="厂区")
    item = publish(enterprises.draft(photos=[{"image": image}]), people)
    type(image).objects.filter(pk=image.pk).update(status="processing")
    html = client.get(item.get_absolute_url()).content.decode()
    assert 'class="media-placeholder"' in html and 'aria-label="厂区"' in html


@pytest.mark.parametrize("where", ["logo", "photo"])
def test_enterprise_cannot_be_submitted_while_an_image_lacks_alt_text(enterprises, assets, people, where):
    image = assets.image(alt_text="")
    item = enterprises.draft(**({"logo": image} if where == "logo" else {"photos": [{"image": image}]}))
    with pytest.raises(InvalidTransition, match="缺少替代文本"):
        editorial.submit(item, by=people.editor)
    type(image).objects.filter(pk=image.pk).update(alt_text="企业大楼")
    editorial.submit(refresh(item), by=people.editor)
    assert refresh(item).status == "in_review"


def test_platform_cannot_be_submitted_while_a_photo_is_processing_or_failed(platforms, assets, people):
    image = assets.image(ready=False, alt_text="众创空间")
    item = platforms.draft(photos=[{"image": image}])
    with pytest.raises(InvalidTransition, match="仍在处理中"):
        editorial.submit(item, by=people.editor)
    type(image).objects.filter(pk=image.pk).update(status="failed", error="无法识别的图片")
    with pytest.raises(InvalidTransition, match="处理失败"):
        editorial.submit(refresh(item), by=people.editor)


def test_the_draft_being_submitted_is_checked_not_the_public_row(enterprises, assets, people):
    item = publish(enterprises.draft(photos=[{"image": assets.image()}]), people)
    bad = assets.image(alt_text="")
    actions.edit_enterprise(refresh(item), by=people.editor, photos=[{"image": bad}])
    with pytest.raises(InvalidTransition, match="缺少替代文本"):
        editorial.submit(refresh(item), by=people.editor)


def test_photos_and_logo_are_part_of_every_revision(client, enterprises, assets, people):
    old, new, logo = assets.image(alt_text="旧厂房"), assets.image(alt_text="新厂房"), assets.image(alt_text="标志")
    item = publish(enterprises.draft(photos=[{"image": old}]), people)
    actions.edit_enterprise(refresh(item), by=people.editor, fields={"logo": logo}, photos=[{"image": new, "caption": "新厂房"}])
    # The public keeps the published version until the draft is published.
    html = client.get(item.get_absolute_url()).content.decode()
    assert 'alt="旧厂房"' in html and 'alt="新厂房"' not in html and 'alt="标志"' not in html
    snapshot = refresh(item).latest_revision.snapshot
    assert [row["image_id"] for row in snapshot["children"]["photos"]] == [new.pk]
    assert snapshot["fields"]["logo_id"] == logo.pk
    item = publish(refresh(item), people)
    html = client.get(item.get_absolute_url()).content.decode()
    assert 'alt="新厂房"' in html and 'alt="旧厂房"' not in html and 'alt="标志"' in html


def test_an_import_keeps_the_photos_of_the_latest_version(enterprises, assets, people, kinds):
    published_photo, draft_photo = assets.image(alt_text="车间"), assets.image(alt_text="展厅")
    live = publish(enterprises.draft(photos=[{"image": published_photo}]), people)
    pending = publish(enterprises.draft(photos=[{"image": published_photo}]), people)
    actions.edit_enterprise(refresh(pending), by=people.editor, photos=[{"image": draft_photo, "caption": "展厅"}])
    never = enterprises.draft(photos=[{"image": draft_photo}])
    headers = ["企业名称", "统一社会信用代码", "地址"]
    data = write_csv(headers, [[e.name, e.credit_code, "乌鲁木齐高新区（新市区）新地址"] for e in (live, pending, never)],
                     encoding="gbk")
    job = actions.start_import("enterprise", by=people.editor, data=data, filename="名录.csv")
    assert job.counts["updated"] == 3, job.counts
    job = actions.confirm_import(job, by=people.editor)
    assert job.status == "done", job.error

    def photos_of(item):
        revision = Revision.objects.get(pk=refresh(item).latest_revision_id)
        assert revision.kind == "import" and revision.snapshot["fields"]["address"].endswith("新地址")
        return [(row["image_id"], row["caption"]) for row in revision.snapshot["children"]["photos"]]

    assert photos_of(live) == [(published_photo.pk, "")]
    assert photos_of(pending) == [(draft_photo.pk, "展厅")]  # the pending draft's photos, not the row's
    assert photos_of(never) == [(draft_photo.pk, "")]
    assert EnterprisePhoto.objects.filter(enterprise=never).count() == 1  # the draft row keeps its photo rows


def test_a_new_enterprise_from_an_import_has_no_photos(people, kinds):
    from .conftest import make_code

    data = write_csv(["企业名称", "统一社会信用代码"], [["新疆新导入有限公司", make_code()]], encoding="utf-8")
    job = actions.confirm_import(actions.start_import("enterprise", by=people.editor, data=data, filename="a.csv"),
                                 by=people.editor)
    item = Enterprise.objects.get(name="新疆新导入有限公司")
    assert job.status == "done" and item.latest_revision.snapshot["children"]["photos"] == []
    assert Platform.editorial_children == ("photos",)


def test_the_admin_edits_the_logo_and_photos(client, people, enterprises, platforms):
    client.force_login(people.editor)
    html = client.get(f"/admin/enterprises/enterprise/{enterprises.draft().pk}/change/").content.decode()
    assert 'name="logo"' in html and "vForeignKeyRawIdAdminField" in html and 'name="photos-0-image"' in html
    html = client.get(f"/admin/enterprises/platform/{platforms.draft().pk}/change/").content.decode()
    assert 'name="photos-0-image"' in html
