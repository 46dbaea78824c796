package dev.tug.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The dashboard add-on in Debian's headless Chromium, on a local cluster that `tug update` set up: sign in with
 * the cluster's admin token, see the nodes and pods, create an app from the form, watch its pods run, scale it,
 * read its logs, restart and delete it. Screenshots are kept in target/it-logs/dashboard/.
 */
class DashboardIT {
    private static final String NAME = "itdash";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static ClusterCli cli;
    private static WebDriver browser;

    @AfterAll
    static void cleanUp() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (cli != null && cli.tug("get", "clusters").out().contains(NAME)) {
            cli.tug("delete", "cluster", NAME, "--yes");
        }
    }

    @Test
    void operatorWorksThroughTheDashboard() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("the dashboard test needs Debian's Chromium and its driver: apt-get install -y chromium chromium-driver"
                    + " (./run-tests installs them)");
        }
        Path work = Path.of("target", "it-logs", "dashboard");
        ClusterCli.deleteRecursively(work);
        cli = new ClusterCli(work);

        var created = cli.tug("create", "cluster", NAME, "--cloud", "local", "--node-count", "1",
                "--network-cidr", "127.61.0.0/16", "--yes");
        assertEquals(0, created.exit(), created.all());
        assertTrue(created.err().contains("Phase addons: dashboard "), created.err());
        assertTrue(created.err().contains("Phase addons: dashboard certificate issued for 127.61.0.1, 127.61.0.2,"),
                created.err());
        assertTrue(created.err().contains("created deployments/tug-dashboard, created services/tug-dashboard"), created.err());
        Matcher url = Pattern.compile("Dashboard: (https://127\\.61\\.0\\.1:(\\d+)/)").matcher(created.out());
        assertTrue(url.find(), created.out());
        String dashboard = url.group(1);

        var validated = cli.tug("validate", "cluster", NAME, "--wait", "2m");
        assertEquals(0, validated.exit(), validated.all());

        var addons = cli.tug("get", "addons", NAME);
        assertEquals(0, addons.exit(), addons.all());
        assertTrue(addons.out().matches("(?s)NAME\\s+VERSION\\s+READY\\s+URL\\s+dashboard\\s+\\S+\\s+1/1\\s+"
                + Pattern.quote(dashboard) + "\\s*"), addons.out());
        String token = cli.tug("get", "secrets", "admin", "--name", NAME).out().strip();
        assertTrue(token.matches("[A-Za-z0-9_-]{43}"), token);
        // the API server takes the token too, as a cluster admin
        assertTrue(cli.kubectl("--context", NAME, "--token", token, "get", "nodes", "-o", "name")
                .contains("node/nodes-local-1"));

        // a second update finds the add-on as it was applied and changes nothing
        var again = cli.tug("update", "cluster", NAME, "--yes");
        assertEquals(0, again.exit(), again.all());
        assertTrue(again.err().contains("Phase addons: dashboard ") && again.err().contains(" is up to date"), again.err());
        assertTrue(again.out().contains("No changes need to be applied"), again.out());

        // HTTPS with a certificate from the cluster CA that names every node the node port answers on
        javax.net.ssl.SSLContext clusterCa = dev.tug.controlplane.server.TlsFiles.trustContext(
                Files.readString(cli.state.resolve(NAME).resolve("pki/ca.crt")));
        for (String node : List.of("127.61.0.1", "127.61.0.2")) {
            java.net.http.HttpResponse<String> health = java.net.http.HttpClient.newBuilder().sslContext(clusterCa).build()
                    .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("https://" + node + ":" + url.group(2)
                            + "/healthz")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals("ok", health.body(), node);
        }

        // the same page through the API server's service proxy
        String proxied = cli.kubectl("--context", NAME, "get", "--raw",
                "/api/v1/namespaces/kube-system/services/https:tug-dashboard:https/proxy/");
        assertTrue(proxied.contains("<title>") && proxied.contains("app.js"), proxied);

        browser = chromium();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.ignoring(StaleElementReferenceException.class);
        browser.get(dashboard);

        // a wrong token is refused with the reason, the right one signs in
        signIn(wait, "not-the-token");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "not accepted"));
        signIn(wait, token);
        wait.until(d -> text(d).contains("control-plane-local-1") && text(d).contains("nodes-local-1"));
        screenshot(work, "overview");

        show("#/nodes");
        wait.until(d -> rows(d, "control-plane-local-1") == 1 && rows(d, "nodes-local-1") == 1);
        show("#/list/pods");
        wait.until(d -> d.findElements(By.cssSelector("tr[data-namespace='kube-system'][data-name^='tug-dashboard-']"))
                .size() == 1);

        // create an app from the form: a python web server, run by the process runtime, behind a NodePort
        show("#/create");
        WebElement name = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("app-name")));
        name.sendKeys("hello");
        type("app-namespace", "default");
        type("app-command", "echo hello from $HOSTNAME; exec python3 -u -m http.server $PORT --bind $POD_IP");
        type("app-replicas", "1");
        type("app-port", "8080");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("app-exposure"))).selectByValue("NodePort");
        browser.findElement(By.id("app-create")).click();
        wait.until(d -> hash(d).equals("#/object/deployments/default/hello"));
        wait.until(d -> runningPods(d, "hello-") == 1);
        String nodePort = cli.kubectl("--context", NAME, "get", "service", "hello", "-o",
                "jsonpath={.spec.type} {.spec.ports[0].nodePort}");
        assertTrue(nodePort.startsWith("NodePort 3"), nodePort);
        String served = ClusterCli.awaitBody("http://127.61.0.2:" + nodePort.split(" ")[1] + "/");
        assertTrue(served.contains("Directory listing"), served);
        screenshot(work, "app");

        // scale to two, after a confirmation that says what will happen
        browser.findElement(By.id("action-scale")).click();
        WebElement replicas = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-replicas")));
        replicas.clear();
        replicas.sendKeys("2");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("confirm-text"), "from 1 to 2"));
        browser.findElement(By.id("confirm-ok")).click();
        wait.until(d -> runningPods(d, "hello-") == 2);
        assertEquals("2", cli.kubectl("--context", NAME, "get", "deployment", "hello", "-o", "jsonpath={.spec.replicas}"));

        // its logs, followed: the line the command printed, then the request the test made
        String pod = String.valueOf(((JavascriptExecutor) browser).executeScript(
                "return document.querySelector(\"tr[data-name^='hello-']\").dataset.name"));
        show("#/logs/default/" + pod);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("logs"), "hello from " + pod));
        assertTrue(browser.findElement(By.id("follow")).isSelected());
        // a request made now shows up while the page is open: the stream follows
        String podIp = cli.kubectl("--context", NAME, "get", "pod", pod, "-o", "jsonpath={.status.podIP}");
        assertTrue(podIp.startsWith("127.61."), podIp);
        assertTrue(ClusterCli.awaitBody("http://" + podIp + ":8080/?followed").contains("Directory listing"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("logs"), "GET /?followed"));
        screenshot(work, "logs");

        // restart: the pods are replaced
        show("#/object/deployments/default/hello");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("action-restart"))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("confirm-text"), "Restart deployment default/hello"));
        browser.findElement(By.id("confirm-ok")).click();
        wait.until(d -> !cli_kubectl("get", "deployment", "hello", "-o",
                "jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}").isBlank());
        wait.until(d -> runningPods(d, "hello-") == 2 && d.findElements(By.cssSelector("tr[data-name='" + pod + "']")).isEmpty());

        // delete, with its Service, after saying what goes with it
        browser.findElement(By.id("action-delete")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("confirm-text"), "Delete deployment default/hello"));
        WebElement withService = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("confirm-with-service")));
        assertTrue(withService.isSelected());
        browser.findElement(By.id("confirm-ok")).click();
        wait.until(d -> hash(d).startsWith("#/list/deployments"));
        wait.until(d -> cli_kubectl("get", "deployments,services", "-n", "default", "-o", "name").equals("service/kubernetes\n"));
        wait.until(d -> cli_kubectl("get", "pods", "-n", "default", "-o", "name").isBlank());
        screenshot(work, "deleted");
        assertEquals(List.of(), browser.findElements(By.cssSelector("tr[data-name='hello']")));

        addonObjectsArePrunedAndADisabledAddonIsRemoved(work, wait);
    }

    private static void addonObjectsArePrunedAndADisabledAddonIsRemoved(Path work, WebDriverWait wait) throws Exception {
        // an object an older manifest made (its checksum differs) goes at the next update; the rest stays
        cli.kubectl("--context", NAME, "create", "configmap", "tug-dashboard-old", "-n", "kube-system", "--from-literal=a=b");
        cli.kubectl("--context", NAME, "label", "configmap", "tug-dashboard-old", "-n", "kube-system", "tug.dev/addon=dashboard");
        cli.kubectl("--context", NAME, "annotate", "configmap", "tug-dashboard-old", "-n", "kube-system",
                "tug.dev/addon-manifest-sha256=0123");
        var pruned = cli.tug("update", "cluster", NAME, "--yes");
        assertEquals(0, pruned.exit(), pruned.all());
        assertTrue(pruned.err().matches("(?s).*Phase addons: dashboard \\S+: deleted configmaps/tug-dashboard-old\n.*"),
                pruned.err());
        assertEquals("deployment.apps/tug-dashboard\nservice/tug-dashboard\n",
                cli_kubectl("get", "deployments,services", "-n", "kube-system", "-l", "tug.dev/addon", "-o", "name"));

        // enabled: false removes the add-on, its certificate and its records; validate no longer waits for it
        String spec = cli.tug("get", "cluster", NAME, "-o", "yaml").out();
        assertTrue(spec.contains("  - name: dashboard\n"), spec);
        Path disabledSpec = work.resolve("dashboard-disabled.yaml");
        Files.writeString(disabledSpec, spec.replace("  - name: dashboard\n", "  - name: dashboard\n    enabled: false\n"));
        var replaced = cli.tug("replace", "-f", disabledSpec.toString());
        assertEquals(0, replaced.exit(), replaced.all());
        var disabled = cli.tug("update", "cluster", NAME, "--yes");
        assertEquals(0, disabled.exit(), disabled.all());
        assertTrue(disabled.err().contains("Phase addons: dashboard is disabled: deleted deployments/tug-dashboard,"
                + " deleted services/tug-dashboard, deleted secrets/tug-dashboard-tls"), disabled.err());
        assertFalse(disabled.out().contains("Dashboard:"), disabled.out());
        wait.until(d -> cli_kubectl("get", "pods", "-n", "kube-system", "-l", "tug.dev/addon=dashboard", "-o", "name").isBlank());
        assertEquals("", cli_kubectl("get", "deployments,replicasets,services,secrets", "-A", "-l", "tug.dev/addon", "-o", "name"));
        try (var files = Files.walk(cli.state.resolve(NAME))) {
            assertEquals(List.of(), files.filter(p -> p.toString().contains("/addons/") && Files.isRegularFile(p)).toList());
        }
        var validated = cli.tug("validate", "cluster", NAME);
        assertEquals(0, validated.exit(), validated.all());
        var none = cli.tug("get", "addons", NAME);
        assertEquals(0, none.exit(), none.all());
        assertEquals("Cluster " + NAME + " has no enabled add-ons.\n", none.err());
        var again = cli.tug("update", "cluster", NAME, "--yes");
        assertTrue(again.err().contains("Phase addons: dashboard is disabled\n"), again.err());
        assertTrue(again.out().contains("No changes need to be applied"), again.out());
    }

    private static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // the machine's network is closed: no background connections, no first-run or sync traffic
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,800");
        // the dashboard's certificate is signed by the cluster's own CA, which the test checked above with Java;
        // the browser's profile does not know that CA
        options.setAcceptInsecureCerts(true);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static void signIn(WebDriverWait wait, String token) {
        WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        field.clear();
        field.sendKeys(token);
        browser.findElement(By.id("login")).click();
    }

    private static void show(String hash) {
        ((JavascriptExecutor) browser).executeScript("location.hash = arguments[0]", hash);
    }

    private static void type(String id, String text) {
        WebElement field = browser.findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    private static String hash(WebDriver driver) {
        return String.valueOf(((JavascriptExecutor) driver).executeScript("return location.hash"));
    }

    private static String text(WebDriver driver) {
        return driver.findElement(By.tagName("body")).getText();
    }

    private static int rows(WebDriver driver, String name) {
        return driver.findElements(By.cssSelector("table.resources tr[data-name='" + name + "']")).size();
    }

    /** Counted in the page in one go: the page re-renders every two seconds, so elements found earlier go stale. */
    private static long runningPods(WebDriver driver, String prefix) {
        return ((Number) ((JavascriptExecutor) driver).executeScript("return [...document.querySelectorAll("
                + "\"table.resources tr[data-name^='\" + arguments[0] + \"']\")].filter(r => r.textContent.includes("
                + "'Running')).length", prefix)).longValue();
    }

    /** kubectl in a wait: a failure reads as "not yet". */
    private static String cli_kubectl(String... args) {
        try {
            String[] all = new String[args.length + 2];
            all[0] = "--context";
            all[1] = NAME;
            System.arraycopy(args, 0, all, 2, args.length);
            return cli.kubectl(all);
        } catch (Exception | AssertionError e) {
            return "";
        }
    }

    private static void screenshot(Path work, String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), work.resolve("dashboard-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
