"""Headers as exports write them: units in brackets, spaces or hyphens, Chinese roster titles."""

from payaudit.config import Settings
from payaudit.io.columns import map_headers


def test_units_spaces_and_case_do_not_hide_a_column():
    headers = ["订单编号", "Worker-ID", "接单时间", "送达时间", "订单收入（元）", "Tip (CNY)"]
    mapped = map_headers("orders", headers, Settings(), "orders.csv")
    assert mapped == {
        "order_id": "订单编号",
        "worker_id": "Worker-ID",
        "accepted_at": "接单时间",
        "completed_at": "送达时间",
        "pay": "订单收入（元）",
        "tip": "Tip (CNY)",
    }


def test_roster_titles_a_chinese_platform_uses():
    headers = ["工号", "姓名", "用工形式", "工作区县", "工时制度", "是否非全日制", "月薪"]
    mapped = map_headers("workers", headers, Settings(), "花名册.xlsx")
    assert mapped == {
        "worker_id": "工号",
        "name": "姓名",
        "category": "用工形式",
        "district": "工作区县",
        "hours_system": "工时制度",
        "part_time": "是否非全日制",
        "monthly_wage": "月薪",
    }
