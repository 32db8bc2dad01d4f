"""The service catalogue (办事指南, editorial content) and service requests (诉求)."""

from .catalogue import AttributeDefinition, AttributeType, Service, ServiceGroup, ServiceMaterial
from .ratings import Appeal, AppealState, CaseState, Rating, Rectification, Score
from .requests import RequestEvent, RequestMaterial, ServiceRequest, State

__all__ = [
    "Appeal", "AppealState", "CaseState", "Rating", "Rectification", "Score",
    "AttributeDefinition", "AttributeType", "RequestEvent", "RequestMaterial", "Service", "ServiceGroup",
    "ServiceMaterial", "ServiceRequest", "State",
]
