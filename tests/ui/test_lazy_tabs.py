"""Tabs are built the first time they are shown or asked for; the window starts with only the visible one."""

from kawasaki_planner.core.plan import forecast_ref


def test_only_the_visible_tab_is_built_at_first(window):
    assert len(window.lazy_tabs.built()) == 1
    assert window.tabs.count() == 9
    assert [window.tabs.tabText(i) for i in range(9)][-2:] == ["進捗一覧", "評価"]


def test_showing_a_tab_builds_it_in_place(window):
    window.tabs.setCurrentIndex(4)
    tab = window.tabs.currentWidget()
    assert tab is window.forecast_tab
    assert window.tabs.tabText(4).startswith("5 ")
    assert len(window.lazy_tabs.built()) == 2


def test_a_tab_built_later_shows_edits_made_before(window):
    window.plan.set_figure(forecast_ref("population", 2026), "250,000")
    model = window.forecast_tab.forecast_model
    index = model.index_of(forecast_ref("placed", 2026))
    assert model.data(index) == str(int(250000 * 0.00147888 + 0.5) - 6)


def test_replacing_the_plan_builds_nothing_on_the_way_out(window):
    window.section_tabs[7]
    window.new_plan()
    assert len(window.lazy_tabs.built()) == 1
