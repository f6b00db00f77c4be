"""Reports what the schemathesis run covered (the test records it as a user property)."""


def pytest_terminal_summary(terminalreporter):
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", []):
        for name, value in getattr(report, "user_properties", []):
            if name == "schemathesis":
                terminalreporter.write_line(f"schemathesis: {value}")
