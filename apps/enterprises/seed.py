"""Reference lists the directory starts with: qualification kinds and platform kinds.

Plain data plus functions that take the model class, so the data migration
(historical models), the demo loader and the tests share one definition.
"""

QUALIFICATION_KINDS = (
    # name, other spellings accepted by the import, position
    ("国家高新技术企业", "高新技术企业、高企、国高", 10),
    ("专精特新“小巨人”企业", "专精特新小巨人、小巨人、小巨人企业", 20),
    ("专精特新中小企业", "专精特新企业、专精特新", 30),
    ("科技型中小企业", "国家科技型中小企业、科小", 40),
    ("瞪羚企业", "瞪羚", 50),
    ("独角兽企业", "独角兽", 60),
)

PLATFORM_KINDS = (
    ("博士后科研工作站", 10),
    ("孵化器", 20),
    ("众创空间", 30),
    ("产业园", 40),
    ("人力资源服务产业园", 50),
    ("重点实验室", 60),
    ("工程技术研究中心", 70),
    ("企业技术中心", 80),
)


def seed_kinds(QualificationKind, PlatformKind) -> int:
    """Create the kinds that are missing; never touches edited ones."""
    created = 0
    for name, aliases, position in QUALIFICATION_KINDS:
        created += QualificationKind.objects.get_or_create(
            name=name, defaults={"aliases": aliases, "position": position}
        )[1]
    for name, position in PLATFORM_KINDS:
        created += PlatformKind.objects.get_or_create(name=name, defaults={"position": position})[1]
    return created
