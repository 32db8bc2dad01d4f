"""The default station kinds and services (editable lists; the admins may add more)."""

KINDS = ("创业社区服务站", "金融流动服务站", "人才驿站", "政务服务点")
SERVICES = ("创业指导", "融资对接", "社保医保", "人力资源", "政策咨询", "证照代办")


def seed_lists(StationKind, StationService) -> None:
    """Idempotent; takes the model classes so a data migration can pass its historical ones."""
    for position, name in enumerate(KINDS):
        StationKind.objects.get_or_create(name=name, defaults={"position": position})
    for position, name in enumerate(SERVICES):
        StationService.objects.get_or_create(name=name, defaults={"position": position})
