"""Demo addresses and contacts of the demo organisations (issue 16: the public notices print
them). Fictitious people and numbers; e-mail addresses under example.com. Set through the
service, only where an organisation has none yet (idempotent)."""

from __future__ import annotations

from govbuy.organizations import services
from govbuy.organizations.models import Organisation

# name_zh → (address, postcode, contact person, telephone, e-mail)
CONTACTS: dict[str, tuple[str, str, str, str, str]] = {
    "北京市财政局": ("北京市通州区承安路3号", "101160", "周文静", "010-5555 0101", "caigou@czj.example.com"),
    "北京市东城区财政局": ("北京市东城区钱粮胡同3号", "100010", "刘建华", "010-5555 0111", "caigou@dccz.example.com"),
    "北京市西城区财政局": ("北京市西城区二龙路27号", "100032", "赵敏", "010-5555 0121", "caigou@xccz.example.com"),
    "北京市朝阳区财政局": ("北京市朝阳区日坛北路33号", "100020", "孙立新", "010-5555 0131", "caigou@cycz.example.com"),
    "北京市海淀区财政局": ("北京市海淀区长春桥路17号", "100089", "钱红", "010-5555 0141", "caigou@hdcz.example.com"),
    "中共北京市委机构编制委员会办公室": (
        "北京市通州区运河东大街57号",
        "101117",
        "吴海涛",
        "010-5555 0151",
        "office@bwb.example.com",
    ),
    "北京市民政局": ("北京市通州区承安路1号", "101160", "郑丽", "010-5555 0161", "shzz@mzj.example.com"),
    "北京市市场监督管理局": ("北京市通州区留庄路6号", "101160", "冯志强", "010-5555 0171", "xinyong@scjgj.example.com"),
    "北京市监察委员会": ("北京市通州区运河东大街57号", "101117", "陈刚", "010-5555 0181", "jiandu@jw.example.com"),
    "北京市审计局": ("北京市通州区承安路5号", "101160", "褚晓红", "010-5555 0191", "shenji@sjj.example.com"),
    "北京华信绩效评价咨询有限公司": (
        "北京市西城区金融大街15号鑫茂大厦8层",
        "100033",
        "卫东",
        "010-5555 0201",
        "pingjia@huaxin.example.com",
    ),
    "北京市东城区卫生健康委员会": (
        "北京市东城区和平里东街18号",
        "100013",
        "蒋雪梅",
        "010-5555 0211",
        "caigou@dcwjw.example.com",
    ),
    "北京市朝阳区民政局": (
        "北京市朝阳区工人体育场东路20号",
        "100020",
        "沈佳",
        "010-5555 0221",
        "caigou@cymz.example.com",
    ),
    "北京市海淀区城市管理委员会": (
        "北京市海淀区四季青路6号",
        "100195",
        "韩磊",
        "010-5555 0231",
        "caigou@hdcg.example.com",
    ),
    "北京市社会福利事务管理中心": (
        "北京市西城区西直门南大街2号",
        "100035",
        "杨帆",
        "010-5555 0241",
        "office@flzx.example.com",
    ),
    "北京市残疾人联合会": ("北京市西城区广安门南街37号", "100053", "朱红梅", "010-5555 0251", "caigou@cl.example.com"),
    "北京市东城区阳光居家养老服务中心": (
        "北京市东城区交道口南大街136号",
        "100007",
        "何春梅",
        "010-5555 0261",
        "service@sunshine.example.com",
    ),
    "北京市朝阳区康乐社会工作事务所": (
        "北京市朝阳区劲松南路1号院2号楼",
        "100021",
        "林海",
        "010-5555 0271",
        "office@kangle.example.com",
    ),
    "北京市志愿服务联合会": (
        "北京市东城区东单北大街80号",
        "100005",
        "秦岚",
        "010-5555 0281",
        "office@bva.example.com",
    ),
    "北京市儿童福利基金会": (
        "北京市西城区德胜门外大街11号",
        "100088",
        "许诺",
        "010-5555 0291",
        "office@cwf.example.com",
    ),
    "北京清源物业管理有限公司": (
        "北京市海淀区清河中街68号",
        "100085",
        "高明",
        "010-5555 0301",
        "office@qingyuan.example.com",
    ),
    "北京安心家政服务部": ("北京市朝阳区团结湖路9号", "100026", "曹安心", "138 0000 0311", "anxin@example.com"),
    "北京市群众艺术馆服务中心": (
        "北京市东城区东四北大街580号",
        "100007",
        "严文",
        "010-5555 0321",
        "office@qyg.example.com",
    ),
    "北京市海淀区和平村股份经济合作社": (
        "北京市海淀区西北旺镇和平村委会",
        "100193",
        "华建军",
        "010-5555 0331",
        "heping@example.com",
    ),
    "东城区交道口街道菊儿社区居民委员会": (
        "北京市东城区菊儿胡同41号",
        "100009",
        "金秀兰",
        "010-5555 0341",
        "juer@example.com",
    ),
    "北京中关村智慧城市科技有限公司": (
        "北京市海淀区中关村大街1号",
        "100080",
        "魏峰",
        "010-5555 0351",
        "bd@zgc-smart.example.com",
    ),
}


def load() -> int:
    """Fill in the contacts of the demo organisations that have none; return how many were set."""
    changed = 0
    for org in Organisation.objects.filter(name_zh__in=CONTACTS, address=""):
        address, postcode, person, phone, email = CONTACTS[org.name_zh]
        services.update_contacts(
            actor=None,
            organisation=org,
            version=org.version,
            address=address,
            postcode=postcode,
            contact_person=person,
            phone=phone,
            email=email,
        )
        changed += 1
    return changed
