"""The list and related rows written in Python give the bytes the template loop gave."""

from types import SimpleNamespace

from django.template import Context, Template

from apps.news.templatetags.news_tags import related_items, release_list_items

LIST_LOOP = Template(
    "{% load media_tags %}"
    """  {% for release in releases %}
  <li>
    <div class="thumb">{% if release.cover_image %}{% picture release.cover_image sizes="8rem" crop=400 eager=forloop.first %}{% endif %}</div>
    <div>
      <h2 class="card-title"><a href="{{ release.url }}">{{ release.title }}</a></h2>
      <p class="meta-line"><time datetime="{{ release.published_iso }}">{{ release.published_day }}</time>{% if release.source %} · {{ release.source }}{% endif %}</p>
      {% if release.summary %}<p>{{ release.summary }}</p>{% endif %}
    </div>
  </li>
  {% endfor %}"""
)
RELATED_LOOP = Template(
    """    {% for other in related %}
    <li><a href="{{ other.url }}">{{ other.title }}</a>
      <time datetime="{{ other.published_iso }}">{{ other.published_day }}</time></li>
    {% endfor %}"""
)


def row(title, *, source="", summary="", cover=None):
    return SimpleNamespace(
        title=title, source=source, summary=summary, cover_image=cover, url="/news/2026/01/7/?a=1&b=<2>",
        published_iso="2026-01-02T03:04:05+08:00", published_day="2026-01-02",
    )


def rows():
    placeholder = SimpleNamespace(pk=1, alt_text='图"<一>', status="pending", width=1600, height=900, _rendition_rows=[])
    other = SimpleNamespace(pk=2, alt_text="", status="pending", width=0, height=0, _rendition_rows=[])
    return [
        row('<script>alert("x")</script> & \'引号\'', source="来源<b>", summary="摘要 & <i>", cover=placeholder),
        row("无封面无来源"),
        row("第二张图", summary="只有摘要", cover=other),
    ]


def test_list_rows_match_the_template_loop_byte_for_byte():
    releases = rows()
    assert "  " + release_list_items(releases) == LIST_LOOP.render(Context({"releases": releases}))
    assert release_list_items([]) == ""


def test_related_rows_match_the_template_loop_byte_for_byte():
    related = rows()
    assert "    " + related_items(related) == RELATED_LOOP.render(Context({"related": related}))
