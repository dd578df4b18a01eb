package org.parley.testing;

import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

/**
 * A real headless Chromium driven by ChromeDriver, both from the OS packages ({@code chromium},
 * {@code chromium-driver}; scripts/install-deps). Both paths are given explicitly so Selenium Manager never looks
 * for, or downloads, a browser or a driver. Each browser gets a fresh profile in a temp directory, removed by
 * {@link #close()}. One per test class: starting one costs about a second.
 */
public final class Browser implements AutoCloseable {
    public static final File CHROMIUM = new File("/usr/bin/chromium");
    public static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    /** How long a wait for something the user would see may take before the test fails. */
    public static final Duration WAIT = Duration.ofSeconds(10);
    /** The longest a page of a test server may take to load. */
    private static final Duration PAGE_LOAD = Duration.ofSeconds(20);
    /** Chrome's content setting value that blocks JavaScript on every site. */
    private static final int BLOCK = 2;

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Chromium as most visitors run it: JavaScript on. */
    public static Browser withJavaScript() {
        return start(true);
    }

    /** Chromium with JavaScript blocked everywhere: every flow must still work through plain links and forms. */
    public static Browser withoutJavaScript() {
        return start(false);
    }

    private static Browser start(boolean javaScript) {
        if (!CHROMIUM.canExecute() || !CHROMEDRIVER.canExecute()) {
            throw new IllegalStateException("Browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                    + " (Debian packages chromium and chromium-driver; scripts/install-deps installs them)");
        }
        Path profile;
        try {
            profile = Files.createTempDirectory("parley-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                // headless as root (CI containers): no sandbox, no GPU, /dev/shm may be tiny
                "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                // nothing but the pages under test on the network
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic",
                "--window-size=1280,1000",
                // a cross-site iframe in its own renderer process (site isolation) logs to a console ChromeDriver
                // does not collect, and a dialog it opens stalls ChromeDriver's click; sharing the page's process,
                // as Chrome on Android does, changes neither cookies, CSP nor messaging between the two
                "--disable-site-isolation-trials", "--disable-features=IsolateOrigins,site-per-process",
                "--user-data-dir=" + profile);
        if (!javaScript) {
            options.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", BLOCK));
        }
        var logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        var service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort()
                .build();
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            delete(profile);
            throw e;
        }
        var browser = new Browser(driver, profile);
        try {
            // fail in seconds rather than after WebDriver's five-minute default
            driver.manage().timeouts().pageLoadTimeout(PAGE_LOAD).scriptTimeout(PAGE_LOAD);
            return browser;
        } catch (RuntimeException e) {
            browser.close();
            throw e;
        }
    }

    /**
     * Lays pages out as on a screen {@code width} CSS pixels wide (a phone at 375), through Chrome's device
     * emulation: a headless window cannot be made narrower than its own minimum.
     */
    public void viewport(int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", width < 600));
    }

    /** Sends {@code Accept-Language: tags} with every request from now on, as a browser set to those languages does. */
    public void acceptLanguage(String tags) {
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Accept-Language", tags)));
    }

    /** Whether the page is wider than the screen (something makes it scroll sideways). */
    public boolean scrollsSideways() {
        Object wider = driver.executeScript(
                "return document.documentElement.scrollWidth > document.documentElement.clientWidth");
        return Boolean.TRUE.equals(wider);
    }

    /** Saves what the screen shows as {@code target/screenshots/NAME.png}, for people to look at after a run. */
    public Path screenshot(String name) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "screenshots"));
            Path file = dir.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void get(String url) {
        driver.get(url);
    }

    /** Waits until an element is visible, then returns it; else fails with what the page shows instead. */
    public WebElement visible(By locator) {
        try {
            return waiting().until(ExpectedConditions.visibilityOfElementLocated(locator));
        } catch (TimeoutException e) {
            throw new AssertionError("Not visible after " + WAIT.toSeconds() + " s: " + locator + "\nat "
                    + location() + ", which shows:\n" + shownText(), e);
        }
    }

    /** The address of the document the driver is in: the frame's inside a frame (getCurrentUrl gives the top's). */
    public String location() {
        try {
            return String.valueOf(driver.executeScript("return location.href"));
        } catch (WebDriverException e) {
            return driver.getCurrentUrl() + " (top-level; " + e.getClass().getSimpleName() + " asking the frame)";
        }
    }

    private String shownText() {
        try {
            return driver.findElement(By.tagName("body")).getText();
        } catch (WebDriverException e) {
            return "(no body: " + e.getClass().getSimpleName() + ")";
        }
    }

    public WebDriverWait waiting() {
        return new WebDriverWait(driver, WAIT);
    }

    /**
     * Waits until thread.js is done with a thread page: for a signed-in viewer it replaces the guest's comment form
     * with theirs once the overlay arrives (and marks the section data-viewer), so a field found before that is
     * detached under the test's hands ("element not interactable" in a loaded run).
     */
    public void awaitDiscussionReady() {
        waiting().until(d -> d.findElements(By.cssSelector(".discussion[data-overlay]:not([data-viewer])")).isEmpty());
    }

    /**
     * Waits until {@code page} (the old document's {@code <html>}) is gone, i.e. the browser shows the page a click
     * or a key led to. Chrome sometimes answers a question about a node of the document being unloaded with "Node
     * with given id does not belong to the document" instead of a stale-element error: that means gone, too.
     */
    public void awaitReplaced(WebElement page) {
        waiting().until(d -> {
            try {
                page.isEnabled();
                return false;
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                return true;
            } catch (WebDriverException e) {
                if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
                    return true;
                }
                throw e;
            }
        });
    }

    /** Forgets every cookie of every site and partition (a new visitor), through the DevTools protocol. */
    public void clearCookies() {
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
    }

    /**
     * Console messages at WARNING or above from the page and its frames since the last call, e.g. "SEVERE
     * security Framing 'http://…' violates the following Content Security Policy directive …".
     */
    public List<String> takeConsoleMessages() {
        List<String> messages = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.WARNING.intValue()) {
                messages.add(entry.getLevel() + " " + entry.getMessage());
            }
        }
        return messages;
    }

    @Override
    public void close() {
        try {
            driver.quit(); // also stops chromedriver
        } finally {
            delete(profile);
        }
    }

    private static void delete(Path dir) {
        if (!TempDirs.deleteTree(dir)) {
            // Chromium may still be writing its profile while it exits; a leftover temp dir is harmless
            System.err.println("Could not delete the browser profile " + dir);
        }
    }
}
