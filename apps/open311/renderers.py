"""Open311's XML: a named root (``services``, ``service_requests``, ``service_definition``,
``discovery``, ``errors``) and list items named after their parent (``service``,
``request``, ``attribute``, ``value``, ``endpoint``, ``format``, ``error``)."""

from rest_framework.renderers import JSONRenderer
from rest_framework_xml.renderers import XMLRenderer

ITEM_OF = {
    "services": "service", "service_requests": "request", "attributes": "attribute", "values": "value",
    "endpoints": "endpoint", "formats": "format", "errors": "error",
}


class Open311JSONRenderer(JSONRenderer):
    ensure_ascii = False


class Open311XMLRenderer(XMLRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        context = renderer_context or {}
        response = context.get("response")
        view = context.get("view")
        if response is not None and getattr(response, "open311_errors", False):
            root = "errors"
        else:
            root = getattr(view, "xml_root", None) or getattr(getattr(view, "cls", None), "xml_root", "response")
        self.root_tag_name = root
        self._items = [ITEM_OF.get(root, "item")]
        return super().render(data, accepted_media_type, renderer_context)

    def _to_xml(self, xml, data):
        if isinstance(data, (list, tuple)):
            item = self._items[-1]
            for value in data:
                xml.startElement(item, {})
                self._to_xml(xml, value)
                xml.endElement(item)
        elif isinstance(data, dict):
            for key, value in data.items():
                xml.startElement(key, {})
                self._items.append(ITEM_OF.get(key, "item"))
                self._to_xml(xml, value)
                self._items.pop()
                xml.endElement(key)
        elif isinstance(data, bool):
            xml.characters("true" if data else "false")
        else:
            super()._to_xml(xml, data)
