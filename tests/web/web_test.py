#!/usr/bin/env python3
"""casedoc serve's web page in a real browser: headless Chromium driven by Selenium (Debian's chromium,
chromium-driver and python3-selenium), against a real `casedoc serve` on a free loopback port.

Run by CTest, one test per CTest entry (tests/web/CMakeLists.txt):
    web_test.py CASEDOC_EXE SOURCE_DIR SCREENSHOT_DIR [unittest names...]
Screenshots of each section at desktop and phone width go to SCREENSHOT_DIR."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request
import zipfile

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service as ChromeService
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

CASEDOC, SOURCE, SHOTS = sys.argv[1:4]
del sys.argv[1:4]

DESKTOP = (1280, 900)
PHONE = (375, 812)


def sample(setting, name):
    return os.path.join(SOURCE, "plugins", setting, "samples", name)


COMPLIANT = sample("child_welfare", "valid/case-record-jose-2024.xml")
NOT_COMPLIANT = sample("child_welfare", "invalid/case-record-several-problems.xml")
CASELOAD = sample("child_welfare", "caseload")


def casedoc(*args, check=True):
    r = subprocess.run([CASEDOC, *args], capture_output=True)
    if check and r.returncode not in (0, 1):
        raise AssertionError(f"casedoc {' '.join(args)}: exit {r.returncode}: {r.stderr.decode()}")
    return r


class Service:
    """A real `casedoc serve` on a free loopback port, with a tokens file of its own."""

    def __init__(self, scopes="validate,render,due"):
        self.dir = tempfile.mkdtemp(prefix="casedoc-web-")
        self.tokens = os.path.join(self.dir, "tokens.json")
        out = casedoc("serve", "token", "add", "web", "--settings", "*", "--scopes", scopes, "--tokens", self.tokens)
        self.secret = out.stdout.decode().splitlines()[0]
        self.log_path = os.path.join(self.dir, "requests.log")
        self.log_file = open(self.log_path, "wb")
        self.process = subprocess.Popen([CASEDOC, "serve", "--listen", "127.0.0.1:0", "--tokens", self.tokens],
                                        stdout=subprocess.PIPE, stderr=self.log_file)
        line = self.process.stdout.readline().decode()
        m = re.search(r"listening on (http://127\.0\.0\.1:[0-9]+)", line)
        if not m:
            self.stop()
            raise AssertionError(f"casedoc serve did not start: {line} {self.log()}")
        self.url = m.group(1)

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log_file.close()

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def get(self, path, token=None):
        request = urllib.request.Request(self.url + path)
        if token:
            request.add_header("Authorization", "Bearer " + token)
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()


def browser(downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    options.add_argument("--headless=new")
    options.add_argument("--disable-gpu")
    options.add_argument("--disable-dev-shm-usage")
    if os.geteuid() == 0:  # Chromium's sandbox refuses to run as root (containers, CI)
        options.add_argument("--no-sandbox")
    options.add_argument(f"--window-size={DESKTOP[0]},{DESKTOP[1]}")
    options.add_experimental_option("prefs", {"download.default_directory": downloads,
                                              "download.prompt_for_download": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=ChromeService("/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    return driver


class WebPage(unittest.TestCase):
    def setUp(self):
        self.service = Service()
        self.downloads = tempfile.mkdtemp(prefix="casedoc-web-downloads-")
        self.driver = browser(self.downloads)
        # A result the page replaces may vanish between finding it and reading it: look again.
        self.wait = WebDriverWait(self.driver, 30, ignored_exceptions=(StaleElementReferenceException,))
        self.driver.get(self.service.url + "/")

    def tearDown(self):
        self.driver.quit()
        self.service.stop()
        # Nothing of a record reaches the request log: not a client's name, not a file name.
        log = self.service.log()
        for secret in ("Núñez", "José", ".xml", self.service.secret):
            self.assertNotIn(secret, log)
        self.service.cleanup()
        shutil.rmtree(self.downloads, ignore_errors=True)

    # -- helpers --

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def visible(self, css):
        return self.wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, css)))

    def sign_in(self, secret=None):
        field = self.visible("#token")
        field.clear()
        field.send_keys(secret or self.service.secret, Keys.ENTER)

    def tab(self, name):
        # After sign_in the page asks the service whether the token is good before it shows the tabs: wait for it.
        self.wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, f"#tab-{name}"))).click()
        self.visible(f"#{name}")

    def screenshot(self, name):
        """The whole page at desktop and at phone width, into the build directory."""
        os.makedirs(SHOTS, exist_ok=True)
        for label, (width, height) in (("desktop", DESKTOP), ("phone", PHONE)):
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                        {"width": width, "height": height, "deviceScaleFactor": 1,
                                         "mobile": label == "phone"})
            time.sleep(0.3)
            full = self.driver.execute_script("return document.documentElement.scrollHeight")
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                        {"width": width, "height": min(max(full, height), 6000),
                                         "deviceScaleFactor": 1, "mobile": label == "phone"})
            time.sleep(0.3)
            if label == "phone":  # nothing wider than the phone's screen
                overflow = self.driver.execute_script(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
                self.assertLessEqual(overflow, 0, f"{name}: the page is wider than a phone's screen")
            self.driver.save_screenshot(os.path.join(SHOTS, f"{name}-{label}.png"))
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    def download(self, name, timeout=30):
        path = os.path.join(self.downloads, name)
        for _ in range(timeout * 10):
            if os.path.exists(path) and not os.path.exists(path + ".crdownload") and os.path.getsize(path) > 0:
                time.sleep(0.2)
                with open(path, "rb") as f:
                    return f.read()
            time.sleep(0.1)
        self.fail(f"{name} was not downloaded: {os.listdir(self.downloads)}")

    def console_errors(self):
        return [e for e in self.driver.get_log("browser") if e["level"] == "SEVERE"]

    # -- tests --

    def test_the_page_is_served_with_a_strict_content_security_policy(self):
        status, headers, body = self.service.get("/")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/html"))
        csp = headers["Content-Security-Policy"]
        self.assertIn("default-src 'self'", csp)
        self.assertIn("frame-ancestors 'none'", csp)
        self.assertNotIn("unsafe-inline", csp)
        self.assertNotIn("http", csp)
        self.assertEqual(headers["X-Content-Type-Options"], "nosniff")
        self.assertEqual(headers["Referrer-Policy"], "no-referrer")
        # The page's own files only: no inline script or style, no remote source.
        html = body.decode()
        self.assertIsNone(re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html))
        self.assertNotIn("<style", html)
        self.assertIsNone(re.search(r"\sstyle=", html))
        self.assertIsNone(re.search(r"(src|href)=\"(https?:)?//", html))
        for name, kind in (("app.js", "text/javascript"), ("app.css", "text/css"), ("icon.svg", "image/svg+xml")):
            status, headers, _ = self.service.get("/app/" + name)
            self.assertEqual(status, 200, name)
            self.assertTrue(headers["Content-Type"].startswith(kind), name)
            self.assertIn("default-src 'self'", headers["Content-Security-Policy"])
        for missing in ("/app/nothing.js", "/app/..%2Fservice.cpp", "/app/index.html"):
            self.assertEqual(self.service.get(missing)[0], 404, missing)
        # In the browser: signed in and in every section, nothing the policy blocks and no script error.
        self.sign_in()
        self.visible("#check")
        for name in ("rules", "due", "check"):
            self.tab(name)
        self.assertEqual(self.console_errors(), [])

    def test_a_wrong_token_is_refused_and_only_the_sign_in_box_shows(self):
        self.assertFalse(self.find("#app").is_displayed())
        self.screenshot("sign-in")
        self.sign_in("cdt_" + "0" * 64)
        message = self.wait.until(lambda d: d.find_element(By.ID, "sign-in-message").text)
        self.assertIn("refused", message)
        self.assertFalse(self.find("#app").is_displayed())
        self.assertIsNone(self.driver.execute_script("return sessionStorage.getItem('casedoc-token')"))
        self.screenshot("sign-in-refused")
        # The right one opens the page, and is kept in the tab's session storage, never in the URL.
        self.sign_in()
        self.visible("#check")
        self.assertEqual(self.driver.execute_script("return sessionStorage.getItem('casedoc-token')"),
                         self.service.secret)
        self.assertNotIn(self.service.secret, self.driver.current_url)
        self.assertEqual(self.driver.current_url, self.service.url + "/")
        # Signing out forgets it.
        self.find("#sign-out").click()
        self.visible("#token")
        self.assertIsNone(self.driver.execute_script("return sessionStorage.getItem('casedoc-token')"))

    def test_checked_records_show_their_findings_and_mark_their_lines(self):
        self.sign_in()
        self.visible("#check-files").send_keys(COMPLIANT + "\n" + NOT_COMPLIANT)
        self.wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "article.record")) == 2)
        good, bad = self.driver.find_elements(By.CSS_SELECTOR, "article.record")
        self.assertEqual(good.find_element(By.CSS_SELECTOR, ".status").text, "Compliant")
        self.assertEqual(bad.find_element(By.CSS_SELECTOR, ".status").text, "Not compliant")
        self.assertEqual(good.find_elements(By.CSS_SELECTOR, "button.finding"), [])
        self.assertEqual(good.find_element(By.CSS_SELECTOR, ".actions button").text, "Download PDF")
        self.assertEqual(bad.find_element(By.CSS_SELECTOR, ".actions button").text, "Download draft")

        # Every finding of `casedoc validate` is shown, under its severity, with its rule id, citation and line,
        # and its line is marked in the record's XML.
        expected = json.loads(casedoc("validate", "--format", "json", NOT_COMPLIANT).stdout)["records"][0]["findings"]
        self.assertTrue(expected)
        shown = bad.find_elements(By.CSS_SELECTOR, "button.finding")
        self.assertEqual(len(shown), len(expected))
        by_severity = {}
        for f in expected:
            by_severity.setdefault(f["severity"], []).append(f)
        headings = [h.text for h in bad.find_elements(By.CSS_SELECTOR, "h4.severity")]
        self.assertEqual(len(headings), len(by_severity))
        ordered = [f for level in ("error", "warning", "info") for f in by_severity.get(level, [])]
        for f, button in zip(ordered, shown):
            self.assertIn(f["severity"], button.get_attribute("class"))
            self.assertEqual(button.find_element(By.CSS_SELECTOR, ".rule").text, f["rule_id"])
            self.assertEqual(button.find_element(By.CSS_SELECTOR, ".where").text, f"line {f['line']}")
            if f["citation"]:
                self.assertEqual(button.find_element(By.CSS_SELECTOR, ".citation").text, f["citation"])
            self.assertEqual(button.find_element(By.CSS_SELECTOR, ".text").text, f["message"])
        marked = {int(li.get_attribute("data-line")) for li in bad.find_elements(By.CSS_SELECTOR, ".xml li.marked")}
        self.assertEqual(marked, {f["line"] for f in expected})
        self.assertEqual(good.find_elements(By.CSS_SELECTOR, ".xml li.marked"), [])
        with open(NOT_COMPLIANT, encoding="utf-8") as f:
            self.assertEqual(len(bad.find_elements(By.CSS_SELECTOR, ".xml li")), len(f.read().splitlines()))

        # Clicking the finding furthest down scrolls the XML to its line, which takes the focus.
        last = max(expected, key=lambda f: f["line"])
        frame = bad.find_element(By.CSS_SELECTOR, ".xml-frame")
        self.assertEqual(frame.get_property("scrollTop"), 0)
        bad.find_element(By.CSS_SELECTOR, f"button.finding[data-line='{last['line']}']").click()
        line = bad.find_element(By.CSS_SELECTOR, f".xml li[data-line='{last['line']}']")
        self.wait.until(lambda d: d.switch_to.active_element == line)
        time.sleep(1)  # the smooth scroll
        self.assertGreater(frame.get_property("scrollTop"), 0)
        inside = self.driver.execute_script(
            "const f = arguments[0].getBoundingClientRect(), l = arguments[1].getBoundingClientRect();"
            "return l.top >= f.top && l.bottom <= f.bottom;", frame, line)
        self.assertTrue(inside, "the finding's line is not within the XML's frame")
        self.screenshot("check")

        # Keyboard: Tab reaches the findings, Enter follows one.
        first = shown[0]
        first.send_keys(Keys.ENTER)
        first_line = bad.find_element(By.CSS_SELECTOR, f".xml li[data-line='{ordered[0]['line']}']")
        self.wait.until(lambda d: d.switch_to.active_element == first_line)

    def test_pasted_xml_is_checked_like_a_file(self):
        self.sign_in()
        with open(NOT_COMPLIANT, encoding="utf-8") as f:
            text = f.read()
        area = self.visible("#check-paste")
        self.driver.execute_script("arguments[0].value = arguments[1]", area, text)  # send_keys is slow for 10 kB
        self.find("#check-paste-go").click()
        self.wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "article.record")) == 1)
        card = self.find("article.record")
        self.assertEqual(card.find_element(By.CSS_SELECTOR, ".status").text, "Not compliant")
        self.assertTrue(card.find_elements(By.CSS_SELECTOR, ".xml li.marked"))
        # A record that cannot be checked says why, with its line.
        self.driver.execute_script("arguments[0].value = '<case-record>\\n<oops></case-record>'", area)
        self.find("#check-paste-go").click()
        self.wait.until(lambda d: "Not checked" in d.find_element(By.CSS_SELECTOR, "article.record .status").text)
        error = self.find("article.record .record-error").text
        self.assertIn("could not be checked (line 2", error)
        self.assertEqual(self.find("article.record .xml li.marked").get_attribute("data-line"), "2")
        self.assertEqual(self.find("article.record").find_elements(By.CSS_SELECTOR, ".actions button"), [])

    def test_the_pdf_and_the_draft_downloaded_are_the_bytes_of_casedoc_render(self):
        out = tempfile.mkdtemp(prefix="casedoc-web-render-")
        try:
            final, draft = os.path.join(out, "final.pdf"), os.path.join(out, "draft.pdf")
            self.assertEqual(casedoc("render", COMPLIANT, "-o", final).returncode, 0)
            self.assertEqual(casedoc("render", "--draft", NOT_COMPLIANT, "-o", draft).returncode, 1)
            self.sign_in()
            self.visible("#check-files").send_keys(COMPLIANT + "\n" + NOT_COMPLIANT)
            self.wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "article.record .actions button")) == 2)
            good, bad = self.driver.find_elements(By.CSS_SELECTOR, "article.record")
            good.find_element(By.CSS_SELECTOR, ".actions button").click()
            with open(final, "rb") as f:
                self.assertEqual(self.download("case-record-jose-2024.pdf"), f.read())
            bad.find_element(By.CSS_SELECTOR, ".actions button").click()
            with open(draft, "rb") as f:
                self.assertEqual(self.download("case-record-several-problems.pdf"), f.read())
        finally:
            shutil.rmtree(out, ignore_errors=True)

    def test_the_rules_in_force_are_listed_by_setting_and_version(self):
        self.sign_in()
        self.tab("rules")
        self.wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#rules-list table"))
        status, _, body = self.service.get("/v1/rules?setting=child_welfare", self.service.secret)
        self.assertEqual(status, 200)
        rules = json.loads(body)[0]
        Select(self.find("#rules-setting")).select_by_value("child_welfare")
        sections = self.driver.find_elements(By.CSS_SELECTOR, "#rules-list section.schema")
        self.assertEqual(len(sections), len(rules["schemas"]) + (1 if rules["native_checks"] else 0))
        for schema, section in zip(rules["schemas"], sections):
            self.assertIn("version " + schema["version"], section.text)
            self.assertIn("In force from " + schema["effective_from"], section.text)
            ids = [r.text for r in section.find_elements(By.CSS_SELECTOR, "tbody .rule")]
            self.assertEqual(ids, [r["rule_id"] for r in schema["rules"] if r["rule_id"]])
        cw_w4 = next(r for r in rules["schemas"][-1]["rules"] if r["rule_id"] == "CW-W4")
        self.assertIn(cw_w4["citation"], sections[len(rules["schemas"]) - 1].text)
        self.screenshot("rules")
        # The filter keeps the matching rules only.
        self.find("#rules-filter").send_keys("CW-W4")
        rows = self.driver.find_elements(By.CSS_SELECTOR, "#rules-list tbody .rule")
        self.assertTrue(rows)
        self.assertTrue(all("CW-W4" in r.text for r in rows))

    def test_what_is_due_by_worker_with_a_calendar_to_download(self):
        self.sign_in()
        self.tab("due")
        files = sorted(os.path.join(CASELOAD, f) for f in os.listdir(CASELOAD) if f.endswith(".xml"))
        self.find("#due-files").send_keys("\n".join(files))
        self.wait.until(lambda d: "ready" in d.find_element(By.ID, "due-message").text)
        as_of = self.find("#due-as-of")
        self.driver.execute_script("arguments[0].value = '2025-12-31'", as_of)
        within = self.find("#due-within")
        within.clear()
        within.send_keys("60")
        self.find("#due-form button[type=submit]").click()
        self.visible("#due-list section.worker")
        expected = json.loads(casedoc("due", "--as-of", "2025-12-31", "--within", "60", "--format", "json",
                                      *files).stdout)
        workers = sorted({i["worker"] for i in expected["items"]})
        sections = self.driver.find_elements(By.CSS_SELECTOR, "#due-list section.worker")
        self.assertEqual(len(sections), len(workers))
        self.assertEqual(len(self.driver.find_elements(By.CSS_SELECTOR, "#due-list tbody tr")), len(expected["items"]))
        # Overdue first within each worker.
        for section in sections:
            days = [int(td.get_attribute("data-days")) for td in section.find_elements(By.CSS_SELECTOR, "td.num")]
            self.assertEqual(days, sorted(days))
        self.screenshot("due")
        # One worker: the list narrows, and the worker's calendar downloads.
        worker = workers[0]
        Select(self.find("#due-worker")).select_by_value(worker)
        mine = [i for i in expected["items"] if i["worker"] == worker]
        self.assertEqual(len(self.driver.find_elements(By.CSS_SELECTOR, "#due-list tbody tr")), len(mine))
        self.find("#due-ics").click()
        ics = self.wait.until(lambda d: [f for f in os.listdir(self.downloads) if f.endswith(".ics")
                                         and os.path.getsize(os.path.join(self.downloads, f)) > 0])
        calendar = self.download(ics[0]).decode()
        self.assertTrue(calendar.startswith("BEGIN:VCALENDAR"))
        self.assertEqual(calendar.count("BEGIN:VTODO"), len(mine))
        # The worklist PDF of the worker.
        self.find("#due-pdf").click()
        self.assertTrue(self.download("due.pdf").startswith(b"%PDF-"))


    def test_a_caseload_sent_as_a_zip_gives_the_due_list_of_its_records(self):
        files = sorted(os.path.join(CASELOAD, f) for f in os.listdir(CASELOAD) if f.endswith(".xml"))
        folder = tempfile.mkdtemp(prefix="casedoc-web-zip-")
        self.addCleanup(shutil.rmtree, folder)
        archive = os.path.join(folder, "caseload.zip")
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
            for f in files:
                z.write(f, "caseload/" + os.path.basename(f))
            z.writestr("caseload/README.txt", "not a record: left out")
        bomb = os.path.join(folder, "bomb.zip")  # 300 MB of one byte: refused before anything is sent
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("big.xml", b"<" + b" " * (300 * 1024 * 1024))
        self.sign_in()
        self.tab("due")
        self.find("#due-files").send_keys(bomb)
        self.wait.until(lambda d: "more than 256 MB" in d.find_element(By.ID, "due-message").text)
        self.driver.execute_script("arguments[0].value = ''", self.find("#due-files"))  # a new choice, not more files
        self.find("#due-files").send_keys(archive)
        self.wait.until(lambda d: ("%d records ready" % len(files)) in d.find_element(By.ID, "due-message").text)
        self.driver.execute_script("arguments[0].value = '2025-12-31'", self.find("#due-as-of"))
        within = self.find("#due-within")
        within.clear()
        within.send_keys("60")
        self.find("#due-form button[type=submit]").click()
        self.visible("#due-list section.worker")
        expected = json.loads(casedoc("due", "--as-of", "2025-12-31", "--within", "60", "--format", "json",
                                      *files).stdout)
        self.assertEqual(len(self.driver.find_elements(By.CSS_SELECTOR, "#due-list tbody tr")), len(expected["items"]))
        shown = {td.text for td in self.driver.find_elements(By.CSS_SELECTOR, "#due-list tbody td")}
        for item in expected["items"][:5]:
            self.assertIn(item["record_id"], " ".join(shown))


if __name__ == "__main__":
    unittest.main(verbosity=2)
