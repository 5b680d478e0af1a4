"""One name per meaning: column names used in code, and the Chinese words the UI shows for them."""

from __future__ import annotations

# Column names of the frames passed between the core, the pages and the CLI.
TOWNSHIP = "township"
VILLAGE = "village"
DATE = "date"
QUOTA = "quota"
ENROLLED = "enrolled"
BASE_POPULATION = "base_population"
LAST_YEAR_ENROLLED = "last_year_enrolled"
COMPLETION = "completion_rate"
PARTICIPATION = "participation_rate"
RANK = "rank"
RANK_CHANGE = "rank_change"
FLAGGED = "flagged"
TIMES_FLAGGED = "times_flagged"  # periods a township was flagged in, this campaign so far
PERIODS_FLAGGED = "periods_flagged"
# 模拟测算's 后三名 for a township an edit takes out of the bottom three: shown, not red
LEFT_FLAGGED = "移出"
NEW_ENROLLED = "new_enrolled"  # enrolled during a period: its figure less the previous one's
WORK_FUND = "work_fund"
REWARD = "reward"
DEDUCTION = "deduction"
NET = "net"
GROUP = "group"
ROSTER = "roster_size"
COVERAGE = "coverage"
SIMULATED = "simulated"
POSITION = "position"
ID_NUMBER = "id_number"
NAME = "name"
PAID_ON = "paid_on"
AMOUNT = "amount_fen"
CHANNEL = "channel"
VOUCHER = "voucher"  # a payment's tax ticket (电子税票号码): one per payment
RECOGNISED_ON = "recognised_on"
SUBSIDY = "subsidy"
PAYS = "pays"
PAID = "paid"  # what a person paid (the payment that stands, less its partial refunds), yuan
PART_REFUNDED = "part_refunded_fen"  # of the payment that stands, paid back (partial refunds)
OVERPAID = "overpaid"  # paid less what they owe: > 0 paid too much, < 0 too little
SOURCE = "source"
COLLECTOR = "collector"
RECEIVED_ON = "received_on"
DEPOSITED_ON = "deposited_on"
DOCUMENT = "document"  # the kind of document an ID number is of (居民身份证, 护照 …)
STATUS = "status"  # a payment's (正常, 作废, 已退费 …) or a roster member's (在册, 死亡 …) state
INSURANCE = "insurance"  # what a payment is for (城乡居民基本医疗保险费, 城乡居民基本养老保险费 …)
PERIOD = "period"  # the benefit year a payment is for (费款所属期起 2023-01-01, 缴费年度 2023)
VERIFIED = "verified"  # a township's final enrolled as the county's bureaus verified it (核定)
SYSTEM_ENROLLED = "system_enrolled"  # the system's enrolled on the campaign's last day
VERIFIED_DIFFERENCE = "verified_difference"  # verified less the system's

TOTAL_LABEL = "合计"
TOTAL_WORDS = (TOTAL_LABEL, "总计", "全县合计", "全县", "合 计", "total")
# In a progress report's village column: the row is the township's own figure (its subtotal).
SUBTOTAL_WORDS = (
    "小计",
    "合计",
    "总计",
    "全镇",
    "全乡",
    "全镇合计",
    "全乡合计",
    "乡镇小计",
    "subtotal",
)
SIMULATED_LABEL = "模拟数据"
NO_QUOTA = "任务数为0，不计完成率"  # beside the bar of a township with no quota, so no rate
REPORT_SOURCE = "进度报表"  # where a township's enrolled counts come from (CampaignData.sources)

# The Chinese the user reads for each column.
LABELS: dict[str, str] = {
    TOWNSHIP: "乡镇（街道）",
    VILLAGE: "村（社区）",
    DATE: "日期",
    QUOTA: "任务数",
    ENROLLED: "参保人数",
    BASE_POPULATION: "应参保人数",
    LAST_YEAR_ENROLLED: "上年参保人数",
    COMPLETION: "完成率",
    PARTICIPATION: "参保率",
    RANK: "排名",
    RANK_CHANGE: "变化",
    NEW_ENROLLED: "本期新增",
    FLAGGED: "后三名",
    TIMES_FLAGGED: "累计次数",
    PERIODS_FLAGGED: "期次",
    WORK_FUND: "工作经费（元）",
    REWARD: "奖励（元）",
    DEDUCTION: "扣减（元）",
    NET: "净额（元）",
    GROUP: "群体",
    ROSTER: "名单人数",
    COVERAGE: "覆盖率",
    ID_NUMBER: "身份证号",
    NAME: "姓名",
    PAID_ON: "缴费日期",
    AMOUNT: "缴费金额（元）",
    CHANNEL: "缴费渠道",
    VOUCHER: "税票号码",
    RECOGNISED_ON: "认定日期",
    SUBSIDY: "资助金额（元）",
    PAYS: "个人缴费（元）",
    SOURCE: "资金来源",
    COLLECTOR: "经办人",
    RECEIVED_ON: "收款日期",
    DEPOSITED_ON: "存入日期",
    STATUS: "缴费状态",
    DOCUMENT: "证件类型",
    INSURANCE: "险种",
    PERIOD: "所属期",
    VERIFIED: "核定参保人数",
    SYSTEM_ENROLLED: "系统统计",
    VERIFIED_DIFFERENCE: "核定差额",
}

# How county tables head their township column beyond the names listed below: 乡镇, 镇 or 乡
# (镇街, 镇办 …), perhaps after 所属 or 所在, perhaps with a bracket of what else the column
# holds (街道, 办事处 …), perhaps with 名称 after it: 乡镇（街道）名称, 乡（镇）, 镇（办事处）.
TOWNSHIP_WORDS = ("乡镇", "镇", "乡", "镇街", "镇办", "镇乡", "乡镇街道", "乡镇办")
TOWNSHIP_BRACKETS = (
    "", "街道", "办", "办事处", "街道办事处", "镇", "乡", "镇街", "镇办", "场", "区",
    "镇、街道", "镇/街道", "镇、办", "乡镇、街道", "乡镇、办事处", "镇、办事处",
)  # fmt: skip
TOWNSHIP_HEADERS = {
    f"{before}{word}{f'({bracket})' if bracket else ''}{after}"
    for before in ("", "所属", "所在")
    for word in TOWNSHIP_WORDS
    for bracket in TOWNSHIP_BRACKETS
    for after in ("", "名称", "名")
} | {"单位名称", "街道办事处", "乡镇街道办事处"}

# Header words accepted in input files, normalised (see files.normalise_name) to a column name.
HEADER_ALIASES: dict[str, str] = {
    "township": TOWNSHIP,
    "乡镇": TOWNSHIP,
    "乡镇（街道）": TOWNSHIP,
    "乡镇(街道)": TOWNSHIP,
    "镇办": TOWNSHIP,
    "镇（办）": TOWNSHIP,
    "镇(办)": TOWNSHIP,
    "乡镇街道": TOWNSHIP,
    "所属乡镇": TOWNSHIP,
    "乡镇名称": TOWNSHIP,
    "镇街": TOWNSHIP,
    "单位": TOWNSHIP,
    "街道": TOWNSHIP,
    "quota": QUOTA,
    "scenario_quota": QUOTA,  # `whatif`'s CSV, read as a scenario (scenario_files)
    "征缴任务数": QUOTA,
    "任务数": QUOTA,
    "人数": QUOTA,
    "参保缴费计划": QUOTA,
    "下达任务数": QUOTA,
    "年度任务数": QUOTA,
    "任务人数": QUOTA,
    "参保任务": QUOTA,
    "参保任务数": QUOTA,
    "目标任务": QUOTA,
    "目标任务数": QUOTA,
    "征缴任务": QUOTA,
    "任务": QUOTA,
    "征缴目标": QUOTA,
    "计划数": QUOTA,
    "参保计划": QUOTA,
    "参保计划数": QUOTA,
    "征缴计划": QUOTA,
    "征缴计划数": QUOTA,
    "2023年城乡居民医保征缴任务数": QUOTA,
    "base_population": BASE_POPULATION,
    "应参保人数": BASE_POPULATION,
    "2021年乡村人口数": BASE_POPULATION,
    "乡村人口数": BASE_POPULATION,
    "last_year_enrolled": LAST_YEAR_ENROLLED,
    "上年参保人数": LAST_YEAR_ENROLLED,
    "上年度参保人数": LAST_YEAR_ENROLLED,
    "上年实际参保人数": LAST_YEAR_ENROLLED,
    "上年度实际参保人数": LAST_YEAR_ENROLLED,
    "2022年度城乡居民实际参保人数": LAST_YEAR_ENROLLED,
    "date": DATE,
    "日期": DATE,
    "统计日期": DATE,
    "统计时间": DATE,
    "截至日期": DATE,
    "截止日期": DATE,
    "截至时间": DATE,
    "截止时间": DATE,
    "填报日期": DATE,
    "报送日期": DATE,
    "报表日期": DATE,
    "数据日期": DATE,
    "enrolled": ENROLLED,
    "参保人数": ENROLLED,
    "累计参保人数": ENROLLED,
    "已参保人数": ENROLLED,
    "缴费人数": ENROLLED,
    "已缴费人数": ENROLLED,
    "累计缴费人数": ENROLLED,
    "参保缴费人数": ENROLLED,
    "完成数": ENROLLED,
    "本周累计": ENROLLED,
    "本期累计": ENROLLED,
    "本周累计参保人数": ENROLLED,
    "累计完成数": ENROLLED,
    "完成人数": ENROLLED,
    "已完成": ENROLLED,
    "已完成数": ENROLLED,
    "已完成人数": ENROLLED,
    "实际完成": ENROLLED,
    "实际完成数": ENROLLED,
    "实际参保人数": ENROLLED,
    "实际缴费人数": ENROLLED,
    "已参保": ENROLLED,
    "已缴费": ENROLLED,
    "累计已参保人数": ENROLLED,
    "累计已缴费人数": ENROLLED,
    "截至目前参保人数": ENROLLED,
    "截至目前缴费人数": ENROLLED,
    "完成参保人数": ENROLLED,
    "完成缴费人数": ENROLLED,
    "verified": VERIFIED,
    "核定参保人数": VERIFIED,
    "核定人数": VERIFIED,
    "核定数": VERIFIED,
    "核定最终参保人数": VERIFIED,
    "最终参保人数": VERIFIED,
    "最终核定参保人数": VERIFIED,
    "核定参保缴费人数": VERIFIED,
    "village": VILLAGE,
    "村": VILLAGE,
    "村（社区）": VILLAGE,
    "村(社区)": VILLAGE,
    "村居": VILLAGE,
    "村(居)": VILLAGE,
    "村委会": VILLAGE,
    "村(居)委会": VILLAGE,
    "行政村": VILLAGE,
    "村名": VILLAGE,
    "所属村(社区)": VILLAGE,
    "村组": VILLAGE,
    "社区": VILLAGE,
    "所在村": VILLAGE,
    "所属村": VILLAGE,
    "所在村(社区)": VILLAGE,
    "所在村(居)": VILLAGE,
    "所属村(居)": VILLAGE,
    "村(居)名称": VILLAGE,
    "村(社区)名称": VILLAGE,
    "村委会名称": VILLAGE,
    "行政村名称": VILLAGE,
    "村(居委会)": VILLAGE,
    "村居委会": VILLAGE,
    "居委会": VILLAGE,
    "id_number": ID_NUMBER,
    "身份证号": ID_NUMBER,
    "身份证号码": ID_NUMBER,
    "公民身份号码": ID_NUMBER,
    "证件号码": ID_NUMBER,
    "身份证件号码": ID_NUMBER,
    "社会保障号码": ID_NUMBER,
    "证件类型": DOCUMENT,
    "证件种类": DOCUMENT,
    "证件名称": DOCUMENT,
    "身份证件类型": DOCUMENT,
    "身份证件种类": DOCUMENT,
    "document_type": DOCUMENT,
    "name": NAME,
    "姓名": NAME,
    "缴费人姓名": NAME,
    "参保人姓名": NAME,
    "纳税人名称": NAME,
    "纳税人姓名": NAME,
    # the civil-affairs and rural-revitalisation systems' rosters
    "成员姓名": NAME,
    "人员姓名": NAME,
    "家庭成员姓名": NAME,
    "对象姓名": NAME,
    "救助对象姓名": NAME,
    "保障对象姓名": NAME,
    "资助对象姓名": NAME,
    "被资助人姓名": NAME,
    "paid_on": PAID_ON,
    "缴费日期": PAID_ON,
    "缴费时间": PAID_ON,
    "缴款日期": PAID_ON,
    "缴款时间": PAID_ON,
    "amount": AMOUNT,
    "缴费金额": AMOUNT,
    "金额": AMOUNT,
    "实缴金额": AMOUNT,
    "缴款金额": AMOUNT,
    "个人缴费": AMOUNT,
    "个人缴费金额": AMOUNT,
    "个人实缴金额": AMOUNT,
    "voucher": VOUCHER,
    "电子税票号码": VOUCHER,
    "税票号码": VOUCHER,
    "票证号码": VOUCHER,
    "channel": CHANNEL,
    "缴费渠道": CHANNEL,
    "渠道": CHANNEL,
    "缴费方式": CHANNEL,
    "缴款方式": CHANNEL,
    "支付方式": CHANNEL,
    "付款方式": CHANNEL,
    "支付渠道": CHANNEL,
    "缴费途径": CHANNEL,
    "group": GROUP,
    "人员类别": GROUP,
    "资助类别": GROUP,
    "身份类别": GROUP,
    "群体": GROUP,
    "救助类别": GROUP,
    "对象类别": GROUP,
    "保障类别": GROUP,
    "人员类型": GROUP,
    "人员身份": GROUP,
    "困难类别": GROUP,
    "类别": GROUP,
    "人员属性": GROUP,
    "对象类型": GROUP,
    "保障类型": GROUP,
    "资助类型": GROUP,
    "救助类型": GROUP,
    "人群类别": GROUP,
    "特殊人群类别": GROUP,
    "监测对象类别": GROUP,
    "监测类型": GROUP,
    "脱贫属性": GROUP,
    "户类型": GROUP,
    "recognised_on": RECOGNISED_ON,
    "认定日期": RECOGNISED_ON,
    "认定时间": RECOGNISED_ON,
    "纳入日期": RECOGNISED_ON,
    "纳入时间": RECOGNISED_ON,
    "认定年月": RECOGNISED_ON,
    "纳入年月": RECOGNISED_ON,
    "识别时间": RECOGNISED_ON,
    "识别日期": RECOGNISED_ON,
    "审批日期": RECOGNISED_ON,
    "审批时间": RECOGNISED_ON,
    "批准日期": RECOGNISED_ON,
    "纳入监测时间": RECOGNISED_ON,
    "纳入监测日期": RECOGNISED_ON,
    "collector": COLLECTOR,
    "经办人": COLLECTOR,
    "收款人": COLLECTOR,
    "征缴员": COLLECTOR,
    "协征员": COLLECTOR,
    "征缴经办人": COLLECTOR,
    "received_on": RECEIVED_ON,
    "收款日期": RECEIVED_ON,
    "收取日期": RECEIVED_ON,
    "收缴日期": RECEIVED_ON,
    "deposited_on": DEPOSITED_ON,
    "存入日期": DEPOSITED_ON,
    "报解日期": DEPOSITED_ON,
    "解缴日期": DEPOSITED_ON,
    "存款日期": DEPOSITED_ON,
    "收款金额": AMOUNT,
    "缴费人": NAME,
    "status": STATUS,
    "缴费状态": STATUS,
    "缴款状态": STATUS,
    "状态": STATUS,
    "票证状态": STATUS,
    "票据状态": STATUS,
    "入库状态": STATUS,
    "缴费记录状态": STATUS,
    "交易状态": STATUS,
    "支付状态": STATUS,
    "订单状态": STATUS,
    "记录状态": STATUS,
    "作废标志": STATUS,
    "作废状态": STATUS,
    "是否作废": STATUS,
    "退费标志": STATUS,
    "退费状态": STATUS,
    "是否退费": STATUS,
    "人员状态": STATUS,
    "保障状态": STATUS,
    "救助状态": STATUS,
    "享受状态": STATUS,
    "在保状态": STATUS,
    "对象状态": STATUS,
    "insurance": INSURANCE,
    "险种": INSURANCE,
    "险种名称": INSURANCE,
    "险种类型": INSURANCE,
    "参保险种": INSURANCE,
    "缴费险种": INSURANCE,
    # the benefit year: the period's first day where the export gives a period (起 and 止)
    "period": PERIOD,
    "所属期": PERIOD,
    "所属期起": PERIOD,
    "税款所属期": PERIOD,
    "税款所属期起": PERIOD,
    "费款所属期": PERIOD,
    "费款所属期起": PERIOD,
    "所属年度": PERIOD,
    "缴费年度": PERIOD,
    "参保年度": PERIOD,
    "待遇年度": PERIOD,
} | dict.fromkeys(sorted(TOWNSHIP_HEADERS), TOWNSHIP)

# What a payment's status says, as the tax system's export and a township's sheet write it
# (normalised as layout.header_key does). A payment counts when its status is blank or one
# of PAID_STATUSES; it does not when the ticket was voided or never went through or the money
# was paid back (UNPAID_STATUSES). A flag column (是否作废, 退费标志) says 是/否, 1/0 or Y/N: yes
# is the flag's own meaning.
PAID_STATUSES = frozenset(
    {"正常", "有效", "已缴费", "已缴", "缴费成功", "成功", "已到账", "已入库", "已征收", "已开票"}
    | {"已支付", "支付成功", "交易成功"}
    | {"否", "n", "no", "0", "normal", "paid"}
)
UNPAID_STATUSES = frozenset(
    {"作废", "已作废", "冲正", "已冲正", "红冲", "已红冲", "撤销", "已撤销", "失败", "缴费失败"}
    | {"支付失败", "交易失败", "未支付", "已关闭", "交易关闭", "退款成功"}
    | {"未缴费", "未到账", "待缴费", "是", "y", "yes", "1", "void"}
    | {"退费", "已退费", "退款", "已退款", "退库", "已退库", "全额退费", "refunded"}
)
# What a payment list's insurance column (险种, 征收项目) says, matched on words within it: the
# residents' medical insurance counts (a blank too); another scheme the same export carries
# (the residents' pension, the employees' schemes, whose members are enrolled there first) does
# not.
RESIDENT_MEDICAL_WORDS = ("医疗", "医保")
OTHER_INSURANCE_WORDS = ("养老", "职工", "灵活就业", "机关事业", "失业", "工伤", "生育", "护理")
# What a roster member's status says (人员状态, 保障状态): on the roster, or no longer (died,
# struck off, support stopped, moved away), as the civil-affairs system writes it.
LISTED_STATUSES = frozenset(
    {"正常", "有效", "在册", "在保", "享受中", "在享", "保障中", "救助中", "新增", "存续"}
    | {"normal", "active"}
)
UNLISTED_STATUSES = frozenset(
    {"死亡", "已死亡", "注销", "已注销", "退出", "已退出", "停保", "已停保", "停发", "已停发"}
    | {"暂停", "终止", "已终止", "取消", "已取消", "迁出", "已迁出", "失效", "已失效"}
    | {"dead", "removed"}
)


# Headers that name a column only where no other header does: the tax system's 纳税人识别号,
# which for a person is the ID number, and often stands beside 证件号码 in its export; its
# 征收项目 (or 费种), what a payment is for, where no 险种 column says so. (Its 征收品目 is the
# payer's kind, 个人缴纳, and is passed over.)
STAND_IN_HEADERS = {
    "纳税人识别号": ID_NUMBER,
    "纳税人识别码": ID_NUMBER,
    "征收项目": INSURANCE,
    "费种": INSURANCE,
}

# Header words of input files that are read past (normalised as layout.header_key does).
# Numbering and remarks: silently.
IGNORED_HEADERS = {"序号", "备注", "no", "note", "编号"}
# Figures a county's own progress table works out beside its counts: the dashboard works them
# out itself, so such a column is read past, not refused as unknown.
DERIVED_HEADERS = {
    "完成率",
    "任务完成率",
    "参保率",
    "排名",
    "名次",
    "差额",
    "未完成数",
    "未完成人数",
    "未参保人数",
    "未缴费人数",
    "剩余任务数",
    "剩余任务",
    "未完成任务数",
    "未完成任务",
    "超任务数",
    "超额完成数",
    "超额人数",
    "任务差额",
    "差额数",
    "差额人数",
    "本周新增",
    "本期新增",
    "新增人数",
    "新增参保人数",
    "较上周新增",
    "上周累计",
    "上期累计",
    "上周累计参保人数",
    "系统统计",  # beside the verified counts: the dashboard's own figure and the difference
    "系统统计人数",
    "核定差额",
    "任务数变化",  # a what-if's or an adjustment's: the change, not the quota
    "任务变化",
    "任务数变动",
    "任务变动",
}
# What the tax system's payment export and the civil-affairs rosters carry beside what the
# dashboard uses (ticket numbers, tax office, personal details): read past, not imported, and
# named in a note, so a county's own export is imported as it is instead of refused.
UNUSED_HEADERS = {
    "征收品目",
    "征收子目",
    "所属期止",
    "税款所属期止",
    "费款所属期止",
    "主管税务所(科、分局)",
    "主管税务机关",
    "税务机关",
    "征收机关",
    "社保经办机构",
    "入库日期",
    "开票日期",
    "缴费档次",
    "档次",
    "应缴金额",
    "资助金额",
    "资助标准",
    "财政补助",
    "性别",
    "出生日期",
    "年龄",
    "民族",
    "联系电话",
    "手机号码",
    "电话",
    "家庭住址",
    "住址",
    "户籍地址",
    "户主姓名",
    "与户主关系",
    "户号",
    "家庭人口",
    "户籍人口",
    "户籍人口数",
    "常住人口",
    "常住人口数",
    "保障人数",
    "村民小组",
    "组",
    "县(区)",
    "区县",
    # the civil-affairs and rural-revitalisation systems' rosters
    "省",
    "市",
    "县",
    "地市",
    "县(市、区)",
    "县(市区)",
    "户编号",
    "户码",
    "家庭编号",
    "户主身份证号",
    "户主证件号码",
    "供养方式",
    "供养形式",
    "保障金额",
    "月保障金额",
    "救助金额",
    "人口数",
    "致贫原因",
    "主要致贫原因",
    "风险类型",
    "返贫致贫风险",
    "帮扶措施",
    "是否风险消除",
    "风险是否消除",
    "风险消除时间",
    "健康状况",
    "残疾等级",
    "残疾类别",
    "文化程度",
    "在校生状况",
    "劳动技能",
    "务工状况",
}

PERIOD_LABELS: dict[str, str] = {
    "week": "周排名",
    "half-month": "半月通报",
    "month": "月评比",
}
