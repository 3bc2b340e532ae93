package dev.verifarm.coordinator.harness;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Debian's {@code chromium}, headless, driven through its {@code chromedriver} (package {@code chromium-driver}):
 * a real browser that loads pages, runs their scripts and is clicked through as a person would.
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration FIND_TIMEOUT = Duration.ofSeconds(10);

    private final ChromeDriver driver;

    private HeadlessChromium(ChromeDriver driver) {
        this.driver = driver;
    }

    public static HeadlessChromium start() {
        for (Path tool : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(tool)) {
                throw new IllegalStateException(tool + " is missing: run deploy/install-test-deps.sh"
                        + " (Debian packages chromium and chromium-driver)");
            }
        }
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                // --no-sandbox: CI runs as root, where Chromium refuses its own sandbox
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1400,2000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new HeadlessChromium(new ChromeDriver(service, options));
    }

    public void open(URI uri) {
        driver.get(uri.toString());
    }

    /** The first element {@code css} selects, waiting for it a little: a click does not wait for the next page. */
    public WebElement find(String css) {
        return new WebDriverWait(driver, FIND_TIMEOUT).withMessage("an element " + css + " on " + currentUrl())
                .until(d -> d.findElements(By.cssSelector(css)).stream().findFirst().orElse(null));
    }

    public List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits up to {@code timeout} for {@code condition} to give something other than null or false. */
    public <T> T await(Duration timeout, String what, Function<HeadlessChromium, T> condition) {
        return new WebDriverWait(driver, timeout).withMessage(what).until(d -> condition.apply(this));
    }

    public String title() {
        return driver.getTitle();
    }

    public String currentUrl() {
        return driver.getCurrentUrl();
    }

    /** Saves what the browser shows as {@code name}.png in the screenshots directory; returns the file. */
    public Path screenshot(String name) {
        return save(driver.getScreenshotAs(OutputType.FILE), name);
    }

    /** Saves one element, scrolled into view, as {@code name}.png in the screenshots directory. */
    public Path screenshot(WebElement element, String name) {
        return save(element.getScreenshotAs(OutputType.FILE), name);
    }

    private static Path save(File shot, String name) {
        Path dir = Path.of(System.getProperty("verifarm.screenshots.dir", "target/screenshots"));
        try {
            Files.createDirectories(dir);
            return Files.copy(shot.toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save screenshot " + name, e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
