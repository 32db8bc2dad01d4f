"""The service catalogue (办事指南, editorial content) and service requests (诉求)."""

from .catalogue import AttributeDefinition, AttributeType, Service, ServiceGroup, ServiceMaterial
from .requests import RequestEvent, RequestMaterial, ServiceRequest, State

__all__ = [
    "AttributeDefinition", "AttributeType", "RequestEvent", "RequestMaterial", "Service", "ServiceGroup",
    "ServiceMaterial", "ServiceRequest", "State",
]
