from django.core.management.base import BaseCommand, CommandError

from apps.search import indexing, registry


class Command(BaseCommand):
    help = "重建站内搜索索引（只收录各类内容公开规则允许的内容）。"

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", help="只重建这些类型（例如 news enterprises）；默认全部")

    def handle(self, *args, kinds=(), **options):
        unknown = sorted(set(kinds) - set(registry.keys()))
        if unknown:
            raise CommandError("未知的类型：%s（可用：%s）" % ("、".join(unknown), "、".join(registry.keys())))
        counts = indexing.rebuild(kinds or None, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("共索引 %d 条。" % sum(counts.values())))
