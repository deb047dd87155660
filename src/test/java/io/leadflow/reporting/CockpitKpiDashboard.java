package io.leadflow.reporting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chromium.HasCdp;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.leadflow.browser.Browser;

/**
 * The leadflow KPI plugin on the Cockpit dashboard, as a page object: logs in through Cockpit's own
 * login form, sets the period and the source filter as a manager does, and reads the funnel shown.
 * Every step waits for what the page shows (the plugin's {@code #lf-status} carries
 * {@code data-state} loading/loaded/failed and the {@code data-filter} it loaded), never for a fixed
 * time; a failed load or login fails at once with the message the page shows. Screenshots go to
 * {@code target/browser-screenshots/}.
 */
final class CockpitKpiDashboard {

    /** An upper bound for one step on a loaded machine (the webapps' first load alone can take a minute), not a delay. */
    static final Duration PATIENCE = Duration.ofMinutes(3);

    /** The longest wait for the Angular app to be stable before going on (see {@link #quiet()}). */
    static final Duration STABLE_AT_MOST = Duration.ofSeconds(30);

    static final Path SCREENSHOTS = Path.of("target", "browser-screenshots");

    private static final By USERNAME = By.cssSelector("form[name='signinForm'] input[ng-model='username']");
    private static final By PASSWORD = By.cssSelector("form[name='signinForm'] input[ng-model='password']");
    private static final By SIGN_IN = By.cssSelector("form[name='signinForm'] button[type='submit']");
    private static final By LOGIN_MESSAGES = By.cssSelector(".form-signin .notifications-panel .alert");
    private static final By STATUS = By.id("lf-status");

    private final WebDriver driver;

    private CockpitKpiDashboard(Browser browser) {
        this.driver = browser.driver();
    }

    /**
     * Logs into Cockpit through its login form and opens the dashboard with the plugin's first load
     * settled. Camunda gives the session a new id at login, and its CSRF filter opens a fresh,
     * anonymous session for any request that still carries the old id: an answer to a request the
     * login page sent before the login that arrives after it (slow on a loaded machine) replaces
     * the logged-in session cookie, and Cockpit falls back to its login page. So the form is filled
     * only once the page is quiet (see {@link #quiet()}), typing waits until Angular has taken each
     * value (the input's {@code ng-not-empty} class), "Log in" is clicked once enabled, and then the
     * session is asked who it is; a login lost that way is repeated (at most five times, each one
     * said on the console).
     */
    static CockpitKpiDashboard logIn(Browser browser, String baseUrl, String user, String password) {
        CockpitKpiDashboard page = new CockpitKpiDashboard(browser);
        page.driver.manage().timeouts().scriptTimeout(PATIENCE);
        if (page.driver instanceof HasCdp cdp) {
            // keep every request's timing (the default keeps 250; Cockpit makes more), for overlapping()
            cdp.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                    Map.of("source", "performance.setResourceTimingBufferSize(10000);"));
        }
        for (int attempt = 1; ; attempt++) {
            String lost = page.tryLogIn(baseUrl, user, password);
            if (lost == null) {
                return page;
            }
            if (attempt == 5) {
                throw new AssertionError("Cockpit lost " + user + "'s login five times; last: " + lost);
            }
            System.out.printf("[browser] Cockpit login %d of %s lost (%s): logging in again%n", attempt, user, lost);
        }
    }

    /** One login and the dashboard's first load; null when both held, else how the login was lost. */
    private String tryLogIn(String baseUrl, String user, String password) {
        driver.get(baseUrl + "/camunda/app/cockpit/default/#/login");
        quiet();
        type(USERNAME, user);
        type(PASSWORD, password);
        until("the Log in button to be enabled", d -> {
            WebElement button = d.findElement(SIGN_IN);
            return button.isDisplayed() && button.isEnabled() ? button : null;
        }).click();
        // left the login page, or back on an empty one (the session was replaced), or refused
        until("Cockpit to answer the login", d -> {
            List<WebElement> messages = d.findElements(LOGIN_MESSAGES);
            if (!messages.isEmpty() && !messages.get(0).getText().isBlank()) {
                throw new AssertionError("Cockpit refused the login of " + user + ": " + messages.get(0).getText());
            }
            List<WebElement> name = d.findElements(USERNAME);
            return !d.getCurrentUrl().contains("#/login") || name.isEmpty() || !user.equals(name.get(0).getAttribute("value"));
        });
        quiet();
        String session = sessionUser();
        if (!user.equals(session)) {
            return "the session answers " + session + "; answered after the login: " + overlapping();
        }
        driver.get(baseUrl + "/camunda/app/cockpit/default/#/dashboard");
        String shown = until("the KPI plugin on the dashboard, or the login page", d ->
                d.getCurrentUrl().contains("#/login") ? "login page"
                        : d.findElements(By.id("leadflow-kpis")).isEmpty() ? null : "dashboard");
        if (shown.equals("login page")) {
            return "back on the login page from the dashboard, the session answers " + sessionUser()
                    + "; answered after the login: " + overlapping();
        }
        settled();
        return null;
    }

    /** The requests sent before the login's answer and answered after it (their answer can replace the session cookie). */
    private String overlapping() {
        return String.valueOf(((JavascriptExecutor) driver).executeScript("""
                const entries = performance.getEntriesByType('resource');
                const login = entries.filter(e => e.name.includes('/login/cockpit')).pop();
                if (!login) {
                  return 'no login request in this page';
                }
                const ms = t => Math.round(t);
                return '[' + entries.filter(e => e !== login && e.startTime < login.responseEnd && e.responseEnd > login.responseEnd)
                  .map(e => e.name.replace(location.origin, '') + ' ' + ms(e.startTime) + '-' + ms(e.responseEnd) + ' ms').join(', ')
                  + '] (login ' + ms(login.startTime) + '-' + ms(login.responseEnd) + ' ms, HTTP ' + login.responseStatus
                  + '); refused: [' + entries.filter(e => e.responseStatus >= 400)
                  .map(e => e.name.replace(location.origin, '') + ' ' + e.responseStatus).join(', ') + ']';
                """));
    }

    /** The user the browser's webapp session belongs to, as Cockpit itself asks, or what answered instead. */
    String sessionUser() {
        Object answer = ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/camunda/api/admin/auth/user/default', {credentials: 'same-origin', headers: {Accept: 'application/json'}})
                  .then(r => r.ok ? r.json().then(u => done(u.userId)) : done('HTTP ' + r.status))
                  .catch(e => done('no answer: ' + e));
                """);
        return String.valueOf(answer);
    }

    private String sessionUserOrWhy() {
        try {
            return sessionUser();
        } catch (RuntimeException e) {
            return "not asked: " + e.getMessage().lines().findFirst().orElse("");
        }
    }

    /**
     * Waits until the page has loaded and its Angular app (bootstrapped on the html element) reports
     * no $http request or $timeout outstanding (its testability API, as Protractor uses it), for at
     * most {@link #STABLE_AT_MOST} per look: an app that polls is never "stable", and what makes the
     * login safe is the session check after it, this only makes a repeated login rare.
     */
    private void quiet() {
        until("the page to have no request outstanding", d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                if (document.readyState !== 'complete' || !window.angular) {
                  done(false);
                  return;
                }
                const atMost = setTimeout(() => done(true), arguments[0]);
                try {
                  window.angular.getTestability(document.documentElement).whenStable(() => { clearTimeout(atMost); done(true); });
                } catch (e) {
                  clearTimeout(atMost);
                  done(true);
                }
                """, STABLE_AT_MOST.toMillis())));
    }

    /** Shows the period (days, both included) and waits until the plugin has loaded it. */
    CockpitKpiDashboard showPeriod(LocalDate from, LocalDate to) {
        settled();
        // a date input takes keys in the browser's locale format; its value is always ISO
        ((JavascriptExecutor) driver).executeScript(
                "document.getElementById('lf-from').value = arguments[0]; document.getElementById('lf-to').value = arguments[1];",
                from.toString(), to.toString());
        driver.findElement(By.id("lf-apply")).click();
        return loaded(from, to, "");
    }

    /** Chooses a source in the plugin's filter (offered once the period has leads of it) and waits until it is loaded. */
    CockpitKpiDashboard chooseSource(String source) {
        String[] period = currentPeriod();
        until("the source " + source + " among the filter's choices",
                d -> d.findElements(By.cssSelector("#lf-source option[value='" + source + "']")).isEmpty() ? null : true);
        new Select(driver.findElement(By.id("lf-source"))).selectByValue(source);
        return loaded(LocalDate.parse(period[0]), LocalDate.parse(period[1]), source);
    }

    /** The number of leads shown as entering each funnel stage, in the order of {@link KpiQueries#FUNNEL}. */
    List<Long> funnel() {
        return KpiQueries.FUNNEL.stream()
                .map(stage -> Long.parseLong(driver.findElement(By.cssSelector("[data-kpi='funnel-" + stage + "']")).getText().trim()))
                .toList();
    }

    /** A month's SQLs against the target as shown, e.g. "1 of 40". */
    String sqlTarget(String month) {
        return driver.findElement(By.cssSelector("[data-kpi='sql-target-" + month + "']")).getText().trim();
    }

    /**
     * Asks for a period the plugin refuses, and waits for its message: answers the message and whether
     * the figures of the period shown before are faded.
     */
    String[] refusedPeriod(LocalDate from, LocalDate to) {
        settled();
        ((JavascriptExecutor) driver).executeScript(
                "document.getElementById('lf-from').value = arguments[0]; document.getElementById('lf-to').value = arguments[1];",
                from.toString(), to.toString());
        driver.findElement(By.id("lf-apply")).click();
        String period = "{\"from\":\"%s\",\"to\":\"%s\",".formatted(from, to); // whatever source is chosen
        until("the KPI plugin to refuse " + period, d -> String.valueOf(d.findElement(STATUS).getAttribute("data-filter")).startsWith(period)
                && "failed".equals(d.findElement(STATUS).getAttribute("data-state")));
        return new String[] {driver.findElement(By.id("lf-error")).getText().trim(),
                driver.findElement(By.id("lf-panels")).getCssValue("opacity")};
    }

    /** The drop-off shown from a stage to the next, e.g. "↓ 25.0 %". */
    String dropOff(String stage) {
        return driver.findElement(By.cssSelector("#lf-funnel tr[data-stage='" + stage + "'] .lf-dropoff")).getText().trim();
    }

    /** Saves a PNG of the dashboard (scrolled to the plugin) as {@code target/browser-screenshots/<name>.png}. */
    Path screenshot(String name) {
        ((JavascriptExecutor) driver).executeScript(
                "const plugin = document.getElementById('leadflow-kpis'); if (plugin) { plugin.scrollIntoView(true); }");
        try {
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the plugin's current load has ended: loaded, or failed with the message it shows. */
    private void settled() {
        until("the KPI plugin to finish loading", d -> {
            notOnLoginPage();
            String state = d.findElement(STATUS).getAttribute("data-state");
            if ("failed".equals(state)) {
                throw new AssertionError("The KPI plugin shows: " + d.findElement(By.id("lf-error")).getText());
            }
            return "loaded".equals(state);
        });
    }

    /** True, or fails at once when Cockpit has gone back to its login page (a lost session) instead of waiting on. */
    private boolean notOnLoginPage() {
        if (driver.getCurrentUrl().contains("#/login")) {
            throw new AssertionError("Cockpit went back to its login page; the session answers " + sessionUser());
        }
        return true;
    }

    private CockpitKpiDashboard loaded(LocalDate from, LocalDate to, String source) {
        String filter = "{\"from\":\"%s\",\"to\":\"%s\",\"source\":\"%s\"}".formatted(from, to, source);
        until("the KPI plugin to load " + filter, d -> {
            notOnLoginPage();
            WebElement status = d.findElement(STATUS);
            if (!filter.equals(status.getAttribute("data-filter"))) {
                return false;
            }
            String state = status.getAttribute("data-state");
            if ("failed".equals(state)) {
                throw new AssertionError("The KPI plugin shows: " + d.findElement(By.id("lf-error")).getText());
            }
            return "loaded".equals(state);
        });
        return this;
    }

    private String[] currentPeriod() {
        return new String[] {driver.findElement(By.id("lf-from")).getAttribute("value"),
                driver.findElement(By.id("lf-to")).getAttribute("value")};
    }

    /** Types into an Angular input until the page's model has the value (its ng-not-empty class). */
    private void type(By input, String value) {
        until("the login form to take " + input, d -> {
            WebElement field = d.findElement(input);
            if (!field.isDisplayed()) {
                return false;
            }
            if (!value.equals(field.getAttribute("value"))) {
                field.clear();
                field.sendKeys(value);
            }
            return field.getAttribute("class").contains("ng-not-empty") && value.equals(field.getAttribute("value"));
        });
    }

    private <T> T until(String what, Function<? super WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, PATIENCE)
                    .ignoring(NoSuchElementException.class)
                    .ignoring(StaleElementReferenceException.class)
                    .withMessage(() -> "waiting for " + what + " at " + driver.getCurrentUrl() + " (Cockpit session: " + sessionUserOrWhy() + ")")
                    .until(condition);
        } catch (TimeoutException e) {
            try {
                e.addInfo("screenshot", screenshot("timeout").toString());
            } catch (RuntimeException screenshotFailed) {
                e.addSuppressed(screenshotFailed);
            }
            throw e;
        }
    }
}
