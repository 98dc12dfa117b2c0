"""One module per group of screens; every screen is a :class:`ui.screens.base.Screen`, built on a
:class:`ui.shell.Shell` (never on the window itself)."""

from __future__ import annotations

from ui.screens.base import Screen


def all_screens() -> list[type[Screen]]:
    """Every screen, Welcome first. The modules load here, not at import: the Welcome screen
    (ui.screens.start) paints before the rest of the kiosk is loaded."""
    from ui.screens.handoff import HandoffScreen
    from ui.screens.home import BalanceScreen, HelpScreen, HistoryScreen, HomeScreen
    from ui.screens.pay import (
        AddPayeeScreen,
        AmountScreen,
        BillBillerScreen,
        BillFoundScreen,
        BillNumberScreen,
        ReceiptScreen,
        ResultScreen,
        ReviewScreen,
        SendPayeeScreen,
    )
    from ui.screens.questionnaire import QuestionnaireScreen
    from ui.screens.receive import ReceiveAmountScreen, ReceiveCodeScreen
    from ui.screens.resume import ResumeScreen
    from ui.screens.security import RiskScreen, StopScreen
    from ui.screens.staff import StaffScreen
    from ui.screens.start import CardKeptScreen, CardScreen, GoodbyeScreen, PinScreen, WelcomeScreen

    return [
        WelcomeScreen,
        CardScreen,
        PinScreen,
        CardKeptScreen,
        ResumeScreen,
        HomeScreen,
        BalanceScreen,
        SendPayeeScreen,
        AddPayeeScreen,
        AmountScreen,
        BillBillerScreen,
        BillNumberScreen,
        BillFoundScreen,
        ReviewScreen,
        RiskScreen,
        StopScreen,
        ResultScreen,
        ReceiptScreen,
        HistoryScreen,
        ReceiveAmountScreen,
        ReceiveCodeScreen,
        HelpScreen,
        HandoffScreen,
        StaffScreen,
        QuestionnaireScreen,
        GoodbyeScreen,
    ]
