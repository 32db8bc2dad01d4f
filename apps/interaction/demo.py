"""Demo consultations, through the real actions: one answered and published (its
writer agreed), one accepted and awaiting its reply, one just submitted. The demo
service agent handles them; the reply is reviewed and published by the demo reviewer
and publishers. Idempotent by subject."""

from django.db import transaction

from apps.accounts.models import User
from apps.editorial import actions as editorial

from . import actions
from .models import Kind, Message

MESSAGES = (
    {"kind": Kind.QUESTION, "subject": "“十百千”人才引进计划的申报材料可以线上提交吗？", "name": "王先生", "phone": "13800000001",
     "email": "", "text": "我单位今年有两名骨干人才想申报，请问申报书和劳动合同复印件能否线上提交，是否需要盖章原件？",
     "publish_consent": True, "department": "乌鲁木齐高新区（新市区）人才工作领导小组办公室",
     "reply": "<p>您好！申报材料由用人单位统一在申报期内提交：申报书须加盖单位公章后扫描上传，劳动合同复印件同样以扫描件提交，"
              "评审阶段如需核验原件，工作人员会提前电话通知。感谢您的关注。</p>"},
    {"kind": Kind.SUGGESTION, "subject": "建议在商业综合体增加金融服务站的开放时间", "name": "阿不都先生", "phone": "13800000002",
     "email": "", "text": "流动金融服务站每周二、周四到商业综合体，商户很欢迎，建议周末也能来一次。",
     "publish_consent": True, "department": "乌鲁木齐高新区（新市区）金融服务中心"},
    {"kind": Kind.MESSAGE, "subject": "园区企业名录中我公司的地址需要更新", "name": "李女士", "phone": "13800000003",
     "email": "", "text": "我公司已搬到新址，请问如何更新企业名录中的地址？", "publish_consent": False},
)


def _user(username, fallback):
    return User.objects.filter(username=username).first() or fallback


@transaction.atomic
def load(*, by) -> None:
    agent = _user("agent", by)
    for spec in MESSAGES:
        if Message.objects.filter(subject=spec["subject"]).exists():
            continue
        message = actions.submit_message({k: spec[k] for k in ("kind", "subject", "name", "phone", "email", "text",
                                                               "publish_consent")})
        if "department" not in spec:
            continue
        message = actions.accept(message, by=agent, department=spec["department"])
        if "reply" not in spec:
            continue
        consultation = actions.draft_reply(message, by=agent, reply=spec["reply"])
        editorial.submit(consultation, by=agent)
        editorial.approve(consultation, by=_user("reviewer", by), note="答复内容核对无误")
        editorial.approve(consultation, by=_user("publisher", by), note="同意发布")  # 签发 publishes
