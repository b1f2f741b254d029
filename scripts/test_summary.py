"""Add up the three test legs from their JUnit files and fail on a missing, empty or skipped leg.

The last line printed is the plain total, for example ``test: 120 passed, 0 failed``.
"""

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

LEGS = ("sqlite", "postgresql", "browser")


def main(results: Path) -> int:
    ok = True
    passed = failed = 0
    for leg in LEGS:
        path = results / f"{leg}.xml"
        if not path.exists():
            print(f"{leg}: no results (the leg did not run)")
            ok = False
            continue
        suite = ET.parse(path).getroot()
        suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
        tests, fails = int(suite.get("tests", 0)), int(suite.get("failures", 0))
        errors, skipped = int(suite.get("errors", 0)), int(suite.get("skipped", 0))
        leg_passed = tests - fails - errors - skipped
        print(f"{leg}: {leg_passed} passed, {fails + errors} failed, {skipped} skipped")
        passed += leg_passed
        failed += fails + errors
        if tests == 0 or fails or errors:
            ok = False
        if leg == "browser" and skipped:
            print("browser: tests were skipped; browser tests must run")
            ok = False
    print(f"test: {passed} passed, {failed} failed")
    return 0 if ok and failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
