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
    "first_findings": {"zh": "前若干条违规事项", "en": "First findings"},
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
    "days": {"zh": "天", "en": "days"},
    "months": {"zh": "个月", "en": "months"},
    "°C": {"zh": "°C", "en": "°C"},
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


def rule_names(lang: str) -> dict[str, str]:
    """Rule code -> its name in `lang`, for every registered rule."""
    from payaudit.rules import all_rules

    return {code: rule.name.get(lang, code) for code, rule in all_rules().items()}
