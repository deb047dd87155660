package io.leadflow.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Function;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium for browser tests, driven by the operating system's chromedriver (Debian
 * packages chromium and chromium-driver): the driver's path is given explicitly, so Selenium never
 * downloads a browser or driver. Override the paths with the system properties
 * {@code webdriver.chrome.driver} and {@code leadflow.browser.binary}. Screenshots go to
 * {@code target/screenshots}.
 *
 * <pre>
 * try (Browser browser = Browser.start()) {
 *     browser.logInToCamunda(baseUrl, "cockpit", "max", "demo");
 *     browser.screenshot("cockpit-dashboard");
 * }
 * </pre>
 */
public final class Browser implements AutoCloseable {

    /** How long a page may take to show what a test waits for: an upper bound, not a delay (a loaded CI machine needs minutes for the webapps' first load). */
    public static final Duration PATIENCE = Duration.ofSeconds(120);

    private final ChromeDriver driver;
    private final Path screenshots = Path.of("target", "screenshots");

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    public static Browser start() {
        // the driver and the browser are given below: Selenium Manager must never try to download either
        System.setProperty("SE_OFFLINE", "true");
        String driverPath = System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        String binary = System.getProperty("leadflow.browser.binary", "/usr/bin/chromium");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(driverPath))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--lang=en-US");
        return new Browser(new ChromeDriver(service, options));
    }

    public WebDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    /**
     * Logs into a Camunda webapp ({@code cockpit}, {@code tasklist}, {@code admin}) through its login
     * page. The first page of a fresh browser can render its login form twice while the app starts
     * (what was typed into the first one is lost, and the click sends an empty form); so the form is
     * filled again, up to three times, when the page is still at the login after 30 s.
     */
    public void logInToCamunda(String baseUrl, String app, String user, String password) {
        for (int attempt = 1; ; attempt++) {
            open(baseUrl + "/camunda/app/" + app + "/default/#/login");
            WebElement name = waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("input[ng-model='username']")));
            try {
                name.clear();
                name.sendKeys(user);
                WebElement secret = driver.findElement(By.cssSelector("input[type='password']"));
                secret.clear();
                secret.sendKeys(password);
                driver.findElement(By.cssSelector("button[type='submit']")).click();
                new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.not(ExpectedConditions.urlContains("#/login")));
                return;
            } catch (org.openqa.selenium.TimeoutException | org.openqa.selenium.StaleElementReferenceException stillAtLogin) {
                if (attempt == 3) {
                    throw stillAtLogin;
                }
            }
        }
    }

    /** Waits until the condition holds (at most {@link #PATIENCE}) and returns its value. */
    public <T> T waitFor(Function<? super WebDriver, T> condition) {
        return new WebDriverWait(driver, PATIENCE).until(condition);
    }

    /** Scrolls the page until the element is at the top of the window (before a screenshot of it). */
    public WebElement scrollTo(By by) {
        WebElement element = driver.findElement(by);
        driver.executeScript("arguments[0].scrollIntoView(true);", element);
        return element;
    }

    public WebElement find(By by) {
        return driver.findElement(by);
    }

    /** Saves a PNG of the page as {@code target/screenshots/<name>.png} and returns its path. */
    public Path screenshot(String name) {
        return screenshot(screenshots, name);
    }

    /** Saves a PNG of the page as {@code <folder>/<name>.png} and returns its path. */
    public Path screenshot(Path folder, String name) {
        try {
            Files.createDirectories(folder);
            Path target = folder.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    @Override
    public void close() {
        driver.quit();
    }
}
