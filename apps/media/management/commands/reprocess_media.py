"""Queue images and videos for processing again.

    manage.py reprocess_media --failed --by admin          # everything that failed
    manage.py reprocess_media --all --rebuild --by admin   # every file anew (rendition set changed)
    manage.py reprocess_media --images 12 15 --videos 3 --by admin
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from apps.media import actions
from apps.media.models import Image, Status, Video


class Command(BaseCommand):
    help = "重新处理图片和视频（排队由后台进程处理，本命令不做转换）。"

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", action="store_true", help="all images and videos")
        which.add_argument("--failed", action="store_true", help="only those whose processing failed")
        which.add_argument("--ids", action="store_true", help="only the ids given with --images / --videos")
        parser.add_argument("--images", nargs="*", type=int, default=[], help="image ids")
        parser.add_argument("--videos", nargs="*", type=int, default=[], help="video ids")
        parser.add_argument("--rebuild", action="store_true", help="delete and re-make every public file")
        parser.add_argument("--by", required=True, help="username of the person asking (for the audit trail)")

    def handle(self, *args, **options):
        try:
            by = get_user_model().objects.get(username=options["by"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user {options['by']!r}") from None
        images, videos = Image.objects.all(), Video.objects.all()
        if options["failed"]:
            images, videos = images.filter(status=Status.FAILED), videos.filter(status=Status.FAILED)
        elif options["ids"] or options["images"] or options["videos"]:
            if not (options["images"] or options["videos"]):
                raise CommandError("give --images and/or --videos ids")
            images = images.filter(pk__in=options["images"])
            videos = videos.filter(pk__in=options["videos"])
        count = 0
        for asset in [*images.order_by("pk"), *videos.order_by("pk")]:
            actions.reprocess(asset, by=by, rebuild=options["rebuild"])
            count += 1
        self.stdout.write(f"queued {count} item(s) for processing")
