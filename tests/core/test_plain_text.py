"""apps.core.textclean.require_plain_text: typed text must not carry HTML tags."""

import pytest
from django.core.exceptions import ValidationError

from apps.core.textclean import has_html_tag, require_plain_text


@pytest.mark.parametrize("value, tagged", [
    ("<p>你好</p>", True), ("< a href=x>", True), ("<!-- x -->", True), ("</div>", True),
    ("3 < 5 且 7 > 6", False), ("<<人才政策>>", False), ("", False), (None, False),
])
def test_has_html_tag(value, tagged):
    assert has_html_tag(value) is tagged


def test_require_plain_text_keys_the_message_by_field_when_given():
    assert require_plain_text("纯文本", "x") == "纯文本"
    with pytest.raises(ValidationError) as keyed:
        require_plain_text("<b>粗</b>", "只能是纯文本", field="description")
    assert keyed.value.message_dict == {"description": ["只能是纯文本"]}
    with pytest.raises(ValidationError) as plain:
        require_plain_text("<b>粗</b>", "只能是纯文本")
    assert plain.value.messages == ["只能是纯文本"]
