"""Every human-facing text of the reports, in Chinese and English.

Rule names and messages live on the rule classes (`Rule.name`, `Rule.message`); everything else a
person reads (headings, sheet names, column titles, categories, severities, day types) is here.
"""

from __future__ import annotations

LANGS = ("zh", "en")

TEXT: dict[str, dict[str, str]] = {
    # Headings and labels.
    "title": {
        "zh": "平台劳动者工资与工时合规审计报告",
        "en": "Platform worker pay and working-time audit",
    },
    "summary": {"zh": "概要", "en": "Summary"},
    "findings": {"zh": "违规事项", "en": "Findings"},
    "workers": {"zh": "劳动者", "en": "Workers"},
    "data_issues": {"zh": "数据问题", "en": "Data issues"},
    "parameters": {"zh": "参数", "en": "Parameters"},
    "inputs": {"zh": "输入文件", "en": "Inputs"},
    "warnings": {"zh": "运行警告", "en": "Run warnings"},
    "warning": {"zh": "警告", "en": "warning"},
    "by_rule": {"zh": "按规则统计", "en": "Findings by rule"},
    "by_severity": {"zh": "按严重程度统计", "en": "Findings by severity"},
    "by_category": {"zh": "按类别统计劳动者", "en": "Workers by category"},
    "issues_by_code": {"zh": "按代码统计数据问题", "en": "Data issues by code"},
    "owed_most": {"zh": "被欠付最多的劳动者", "en": "Workers owed most"},
    "total_shortfall": {"zh": "应补发合计（元）", "en": "Total shortfall (CNY)"},
    "total_findings": {"zh": "违规事项合计", "en": "Findings in total"},
    "workers_total": {"zh": "劳动者人数", "en": "Workers"},
    "out_of_scope": {"zh": "不在审计范围（个人自主经营）", "en": "Out of scope (independent)"},
    "no_findings": {"zh": "未发现违规事项。", "en": "No findings."},
    "count": {"zh": "数量", "en": "Count"},
    "item": {"zh": "项目", "en": "Item"},
    "value": {"zh": "值", "en": "Value"},
    "generated_at": {"zh": "生成时间", "en": "Generated at"},
    "version": {"zh": "payaudit 版本", "en": "payaudit version"},
    "jurisdiction": {"zh": "适用地区", "en": "Jurisdiction"},
    "rule_pack": {"zh": "规则包", "en": "Rule pack"},
    "command_line": {"zh": "命令行", "en": "Command line"},
    "truncated": {
        "zh": "仅列出前 {shown} 条违规事项（共 {total} 条）；汇总数字涵盖全部事项。",
        "en": "Only the first {shown} of {total} findings are listed; the counts cover them all.",
    },
    "html_rows_capped": {
        "zh": "本页仅列出前 {shown} 条；全部事项见 JSON、CSV 或 Excel 报告。",
        "en": "This page lists the first {shown}; the JSON, CSV and Excel reports list them all.",
    },
    "xlsx_rows_capped": {
        "zh": "Excel 每张工作表最多容纳 {shown} 行：此处仅列出前 {shown} 条；"
        "全部事项见 JSON、CSV 或 Parquet 报告。",
        "en": "An Excel sheet holds at most {shown} rows: the first {shown} findings are listed "
        "here; the JSON, CSV and Parquet reports list them all.",
    },
    # Charts.
    "chart_hourly": {
        "zh": "每位劳动者的实际小时收入与最低工资",
        "en": "Effective hourly pay per worker against the minimum wage",
    },
    "chart_daily": {"zh": "每日工作时间分布与上限", "en": "Daily working time against its limit"},
    "chart_stretch": {
        "zh": "最长连续接单时间分布与上限",
        "en": "Longest continuous stretch against its limit",
    },
    "chart_shortfall": {"zh": "按劳动者统计的应补发金额", "en": "Shortfall by worker"},
    "min_wage": {"zh": "小时最低工资", "en": "Hourly minimum wage"},
    "limit": {"zh": "上限", "en": "Limit"},
    "worker_days": {"zh": "人·天", "en": "worker-days"},
    "by_day_type": {"zh": "按日期类型统计工作时间", "en": "Work by type of day"},
    "day_type": {"zh": "日期类型", "en": "Type of day"},
    "hours_unit": {"zh": "小时", "en": "hours"},
    "cny_per_hour": {"zh": "元/小时", "en": "CNY/h"},
    "no_data": {"zh": "无数据", "en": "No data"},
    "sort_hint": {"zh": "点击列标题排序", "en": "Click a column title to sort"},
    "audited_range": {"zh": "审计期间", "en": "Audited range"},
    "rule_pack_version": {"zh": "规则包 {version}", "en": "rule pack {version}"},
    "top_n": {
        "zh": "仅显示前 {shown} 位（共 {total} 位）",
        "en": "Showing the top {shown} of {total}",
    },
    "in_scope_only": {
        "zh": "仅含审计范围内的劳动者（不含个人自主经营者）",
        "en": "In-scope workers only (independents excluded)",
    },
    "evidence_orders": {"zh": "证据订单", "en": "Evidence orders"},
    "baseline_days": {"zh": "当月工作日（基准）", "en": "The month's working days (baseline)"},
    "rate": {"zh": "每小时报酬（元）", "en": "Pay per hour (CNY)"},
    "date": {"zh": "日期", "en": "Date"},
    "order_id": {"zh": "订单号", "en": "Order"},
    "accepted_at": {"zh": "接单时间", "en": "Accepted"},
    "completed_at": {"zh": "完成时间", "en": "Completed"},
    "pay": {"zh": "报酬（元）", "en": "Pay (CNY)"},
    "all": {"zh": "全部", "en": "All"},
    "shown_of": {"zh": "显示 {shown} / {total} 条", "en": "{shown} of {total} shown"},
    "more_findings": {
        "zh": "另有 {more} 条违规事项未显示：加 -v 查看更多，"
        "或用 --format csv/xlsx/html 查看全部。",
        "en": "{more} more findings not shown: add -v to see more, or --format csv/xlsx/html "
        "for all of them.",
    },
    "top_findings": {"zh": "应补发金额最高的违规事项", "en": "Top findings by shortfall"},
    # Worker statements.
    "statement_title": {"zh": "劳动者权益核查告知书", "en": "Statement of findings for a worker"},
    "statement_intro": {
        "zh": "经核查 {first} 至 {last} 期间的平台数据，发现以下 {n} 项不符合规定的情形。",
        "en": "A review of the platform's data from {first} to {last} found the {n} "
        "matters below that do not comply with the rules.",
    },
    "cny": {"zh": "元", "en": "CNY"},
    "period": {"zh": "期间", "en": "Period"},
    "amount_owed": {"zh": "应补发（元）", "en": "Amount owed (CNY)"},
    "total_owed": {"zh": "应补发合计", "en": "Total owed"},
    "legal_basis": {"zh": "法律依据", "en": "Legal basis"},
    "statement_note": {
        "zh": "本告知书由 payaudit 根据平台导出数据自动生成，金额以元计、四舍五入到分；"
        "如对数据有异议，请保留订单记录并向平台或劳动保障监察机构反映。",
        "en": "This statement was produced by payaudit from the platform's exported data; "
        "amounts are in CNY, rounded to the fen. If you dispute the data, keep your order "
        "records and raise it with the platform or the labour inspectorate.",
    },
    "daily_written": {
        "zh": "每日工时与报酬已写为 Parquet：{folder}",
        "en": "Wrote the per-day figures as Parquet to {folder}",
    },
    "skipped_files": {
        "zh": "以下文件的名称不对应任何表，未读取：{names}（可用 --orders 等选项指定）",
        "en": "Not read, as their names name no table: {names} (name them with --orders, "
        "--payouts, --shifts, --workers or --weather to read them)",
    },
    "statements_written": {
        "zh": "已写出 {n} 份劳动者告知书到 {folder}",
        "en": "Wrote {n} worker statements to {folder}",
    },
    # The informational commands.
    "in_force_on": {"zh": "{pack}，{day} 有效的参数", "en": "{pack}, in force on {day}"},
    "rules_in_force": {
        "zh": "规则及 {pack} 在 {day} 有效的标准",
        "en": "Rules, thresholds of {pack} in force on {day}",
    },
    "since": {"zh": "生效日期", "en": "In force since"},
    "config": {"zh": "配置文件", "en": "config"},
    "applies_to": {"zh": "适用对象", "en": "Applies to"},
    "thresholds": {"zh": "标准值", "en": "Thresholds"},
    "not_in_pack": {"zh": "规则包中没有", "en": "not in the rule pack"},
    "none_in_force": {"zh": "当日无有效值", "en": "none in force"},
    "in_force_since": {"zh": "{day} 起适用", "en": "since {day}"},
    "in_force_from": {"zh": "尚未适用，{day} 起", "en": "not yet, from {day}"},
    "in_force_for": {"zh": "{category}适用自", "en": "In force for {category} from"},
    "citation_not_verified": {"zh": "文号未核实", "en": "citation not verified"},
    "area_class_n": {"zh": "{n}类地区", "en": "class {n}"},
    "yes": {"zh": "是", "en": "yes"},
    "no": {"zh": "否", "en": "no"},
    "example": {"zh": "示例", "en": "Example"},
    "calendar_title": {
        "zh": "{year} 年法定节假日、调休放假与补班日",
        "en": "Statutory holidays, breaks and adjusted working days of {year}",
    },
    "weekday": {"zh": "星期", "en": "Weekday"},
    "type": {"zh": "类型", "en": "Type"},
    "holiday": {"zh": "节日", "en": "Holiday"},
    "note": {"zh": "备注", "en": "Note"},
    "may_replace": {
        "zh": "可能为周末法定节假日的补假：请核对",
        "en": "may replace a weekend statutory day (补假): review",
    },
    "no_bridging": {
        "zh": "没有 {year} 年的调休安排表：仅知法定节假日和周末，不知调休放假日和补班日。",
        "en": "no bridging table for {year}: only its statutory days and weekends are known, "
        "not its 调休 rest days or 补班 days.",
    },
    "no_issues": {"zh": "没有数据问题。", "en": "No data issues."},
    "meaning": {"zh": "含义", "en": "Meaning"},
    "issues": {"zh": "问题数", "en": "Issues"},
    "first_issues": {"zh": "前若干条数据问题（共 {n} 条）", "en": "First data issues (of {n})"},
    "severity_error": {
        "zh": "违法：违反强制性规定。",
        "en": "error: a breach of a binding rule.",
    },
    "severity_warning": {
        "zh": "提示：违反推荐性标准，或需人工核查的情形。",
        "en": "warning: a breach of a recommended standard, or a case to review.",
    },
}

# Column titles, by canonical column name.
COLUMNS: dict[str, dict[str, str]] = {
    "rule": {"zh": "规则", "en": "Rule"},
    "rule_name": {"zh": "规则名称", "en": "Rule name"},
    "severity": {"zh": "严重程度", "en": "Severity"},
    "worker_id": {"zh": "劳动者编号", "en": "Worker ID"},
    "category": {"zh": "类别", "en": "Category"},
    "platform": {"zh": "平台", "en": "Platform"},
    "district": {"zh": "区县", "en": "District"},
    "area_class": {"zh": "区域类别", "en": "Area class"},
    "in_scope": {"zh": "在审计范围内", "en": "In scope"},
    "period_start": {"zh": "期间开始", "en": "Period start"},
    "period_end": {"zh": "期间结束", "en": "Period end"},
    "observed": {"zh": "实际值", "en": "Observed"},
    "threshold": {"zh": "标准值", "en": "Threshold"},
    "unit": {"zh": "单位", "en": "Unit"},
    "shortfall_cny": {"zh": "应补发（元）", "en": "Shortfall (CNY)"},
    "shortfall_fen": {"zh": "应补发（分）", "en": "Shortfall (fen)"},
    "evidence": {"zh": "证据", "en": "Evidence"},
    "basis": {"zh": "依据", "en": "Legal basis"},
    "message": {"zh": "说明", "en": "Message"},
    "days_worked": {"zh": "工作天数", "en": "Days worked"},
    "hours": {"zh": "工作时间（小时）", "en": "Working hours"},
    "pay_cny": {"zh": "报酬（元）", "en": "Pay (CNY)"},
    "eligible_pay_cny": {"zh": "计入最低工资的报酬（元）", "en": "Eligible pay (CNY)"},
    "effective_hourly_cny": {"zh": "实际小时收入（元）", "en": "Effective hourly pay (CNY)"},
    "findings": {"zh": "违规事项数", "en": "Findings"},
    "code": {"zh": "代码", "en": "Code"},
    "table": {"zh": "表", "en": "Table"},
    "path": {"zh": "文件", "en": "File"},
    "row": {"zh": "行", "en": "Row"},
    "column": {"zh": "列", "en": "Column"},
    "value": {"zh": "值", "en": "Value"},
    "name": {"zh": "参数", "en": "Parameter"},
    "effective_from": {"zh": "生效日期", "en": "Effective from"},
    "reference": {"zh": "出处", "en": "Citation"},
    "verified": {"zh": "已核实", "en": "Verified"},
    "sha256": {"zh": "SHA-256", "en": "SHA-256"},
    "rows_read": {"zh": "读取行数", "en": "Rows read"},
    "rows_audited": {"zh": "审计行数", "en": "Rows audited"},
    "rows_rejected": {"zh": "拒绝行数", "en": "Rows rejected"},
}

CATEGORIES: dict[str, dict[str, str]] = {
    "employee": {"zh": "劳动关系", "en": "Employee"},
    "platform_managed": {"zh": "不完全符合确立劳动关系", "en": "Platform-managed"},
    "independent": {"zh": "个人自主经营", "en": "Independent"},
}

SEVERITIES: dict[str, dict[str, str]] = {
    "error": {"zh": "违法", "en": "Error"},
    "warning": {"zh": "提示", "en": "Warning"},
}

DAY_TYPES: dict[str, dict[str, str]] = {  # calendar.DAY_TYPES
    "working_day": {"zh": "工作日", "en": "Working day"},
    "rest_day": {"zh": "休息日", "en": "Rest day"},
    "statutory_holiday": {"zh": "法定节假日", "en": "Statutory holiday"},
    "adjusted_working_day": {"zh": "调休上班日（补班）", "en": "Adjusted working day"},
}

UNITS: dict[str, dict[str, str]] = {
    "CNY": {"zh": "元", "en": "CNY"},
    "CNY/h": {"zh": "元/小时", "en": "CNY/h"},
    "CNY/month": {"zh": "元/月", "en": "CNY/month"},
    "h": {"zh": "小时", "en": "h"},
    "min": {"zh": "分钟", "en": "min"},
    "days": {"zh": "天", "en": "days"},
    "months": {"zh": "个月", "en": "months"},
    "ratio": {"zh": "倍", "en": "times"},
    # A time of day, a list or a yes/no says what it is by itself: no unit is shown.
    "time": {"zh": "", "en": ""},
    "list": {"zh": "", "en": ""},
    "bool": {"zh": "", "en": ""},
    "°C": {"zh": "°C", "en": "°C"},
}

# What each data-issue code means, in Chinese (English: the catalogue's own words).
ISSUE_MEANINGS: dict[str, dict[str, str]] = {
    "D001": {"zh": "缺少必填值"},
    "D002": {"zh": "无法解析的值（时间、日期、金额、布尔值或数字）"},
    "D003": {"zh": "数值超出合理范围"},
    "D004": {"zh": "编号重复：首次之后的每次出现均被拒绝"},
    "D005": {"zh": "结束早于开始"},
    "D006": {"zh": "未知的枚举值（类别、类型、工时制度）"},
    "D007": {"zh": "未知区县（保留该行）"},
    "D008": {"zh": "引用了花名册中没有的劳动者"},
    "D009": {"zh": "劳动者所在地区未知，按一类地区审计"},
    "D010": {"zh": "未知的调休安排"},
}

# Rule-pack parameter names as a person reads them in Chinese (English keeps the name itself).
PARAM_NAMES: dict[str, str] = {
    "min_wage_monthly": "月最低工资标准",
    "min_wage_hourly": "小时最低工资标准",
    "max_continuous_hours": "连续接单时间上限",
    "min_break_minutes": "暂停派单时长",
    "max_daily_hours": "每日工作时间上限",
    "holiday_min_ratio": "法定节假日报酬倍数下限",
    "pay_due_days": "报酬支付期限（天）",
    "standard_daily_hours": "标准日工作时间",
    "standard_weekly_hours": "标准周工作时间",
    "max_overtime_daily_hours": "每日延长工作时间上限",
    "max_overtime_monthly_hours": "每月延长工作时间上限",
    "overtime_ratio_extended": "工作日延长工作时间工资倍数",
    "overtime_ratio_rest_day": "休息日加班工资倍数",
    "overtime_ratio_holiday": "法定节假日加班工资倍数",
    "monthly_paid_days": "月计薪天数",
    "monthly_paid_hours": "月计薪小时数",
    "max_deduction_ratio": "每月扣除工资比例上限",
    "max_pay_cycle_months": "工资支付周期上限（月）",
    "part_time_max_pay_cycle_days": "非全日制工资支付周期上限",
    "part_time_max_daily_hours": "非全日制平均每日工作时间上限",
    "part_time_max_weekly_hours": "非全日制每周工作时间上限",
    "heat_stop_temp_c": "停止户外作业气温",
    "heat_limit_temp_c": "限制户外作业气温",
    "heat_max_hours": "高温日户外作业时间上限",
    "heat_midday_start": "高温日午间停工开始时间",
    "heat_midday_end": "高温日午间停工结束时间",
    "heat_no_overtime_temp_c": "不得安排加班的气温",
    "occupational_injury_pilot_platforms": "职业伤害保障试点平台",
    "occupational_injury_pilot_industries": "职业伤害保障试点行业（其全部平台纳入）",
}


def t(key: str, lang: str, **values: object) -> str:
    text = TEXT[key][lang]
    return text.format(**values) if values else text


def column(name: str, lang: str) -> str:
    return COLUMNS.get(name, {}).get(lang, name)


def label(table: dict[str, dict[str, str]], value: str | None, lang: str) -> str:
    """The word for an enum value (category, severity, day type); the value itself if unknown."""
    if value is None:
        return ""
    return table.get(value, {}).get(lang, value)


def labels(table: dict[str, dict[str, str]], lang: str) -> dict[str, str]:
    """value -> word, for a vectorised `replace` over a column."""
    return {value: words[lang] for value, words in table.items()}


def param_name(name: str, lang: str) -> str:
    """A rule-pack parameter's name: in Chinese words for zh, its own name otherwise."""
    return PARAM_NAMES.get(name, name) if lang == "zh" else name


def pack_version(rule_pack: str, lang: str) -> str:
    """'cn-chongqing 2026-11' -> 'rule pack 2026-11': a version, not to be read as a month."""
    return t("rule_pack_version", lang, version=rule_pack.rsplit(" ", 1)[-1])


def rule_names(lang: str) -> dict[str, str]:
    """Rule code -> its name in `lang`, for every registered rule."""
    from payaudit.rules import all_rules

    return {code: rule.name.get(lang, code) for code, rule in all_rules().items()}
