"""Reference data the park starts with. Plain data plus a function that takes
the model class, so the data migration (historical model) and the demo loader
(current model) share one definition."""

CLUSTERS = (
    # name, slug, role, position, description
    ("现代服务业", "modern-services", "pillar", 10,
     "园区的支柱产业，涵盖金融、商贸、人力资源、科技服务等领域。"),
    ("生物医药与大健康", "biomedicine-health", "leading", 20,
     "主导产业之一，依托生物医药创新创业园集聚研发、生产和健康服务企业。"),
    ("新一代信息技术", "new-generation-it", "leading", 30,
     "主导产业之一，涵盖软件、数据服务、信息基础设施和数字化应用。"),
    ("新材料", "new-materials", "leading", 40,
     "主导产业之一，包括功能薄膜、先进高分子材料等方向。"),
)


def seed_clusters(IndustryCluster) -> int:
    """Create the park's clusters that are missing; never touches edited ones."""
    created = 0
    for name, slug, role, position, description in CLUSTERS:
        _, was_created = IndustryCluster.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "role": role, "position": position, "description": description},
        )
        created += was_created
    return created
