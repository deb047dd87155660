package io.leadflow.tasklist;

import java.nio.file.Path;
import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import io.leadflow.browser.Browser;

/**
 * Camunda Tasklist 7.24 as a rep sees it: the filters on the left, the task rows in the middle, the
 * task's Camunda Form (form-js) on the right. Every step waits for what it needs (up to
 * {@link Browser#PATIENCE}); there are no fixed pauses.
 */
final class TasklistPage {

    static final Path SCREENSHOTS = Path.of("target", "browser-screenshots");

    private final Browser browser;
    private final String baseUrl;

    TasklistPage(Browser browser, String baseUrl) {
        this.browser = browser;
        this.baseUrl = baseUrl;
    }

    TasklistPage logIn(String user) {
        browser.logInToCamunda(baseUrl, "tasklist", user, "demo");
        browser.waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("div.task-filter")));
        return this;
    }

    /** Clicks the filter of that name and waits until it is the active one. */
    TasklistPage openFilter(String name) {
        By filter = By.xpath("//div[contains(@class,'task-filter')][.//*[normalize-space(text())=\"" + name + "\"]]");
        click(browser.waitFor(ExpectedConditions.elementToBeClickable(filter)));
        browser.waitFor(ExpectedConditions.attributeContains(filter, "class", "active"));
        return this;
    }

    /** Waits until the list shows a row whose name contains {@code text}; returns all row names. */
    List<String> waitForRow(String text) {
        browser.waitFor(ExpectedConditions.visibilityOfElementLocated(row(text)));
        return browser.driver().findElements(By.cssSelector("li.task h4.task a")).stream().map(WebElement::getText).toList();
    }

    /** The text of a row (name, process, assignee, due date and the lead's columns), read again while Tasklist redraws the list. */
    String rowText(String text) {
        By row = By.xpath("//li[contains(@class,'task')][.//h4[contains(normalize-space(.),\"" + text + "\")]]");
        return browser.waitFor(d -> {
            try {
                List<WebElement> found = d.findElements(row);
                return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0).getText();
            } catch (StaleElementReferenceException redrawn) {
                return null;
            }
        });
    }

    /** Waits until the row shows {@code shown} (Tasklist fills the lead's columns after the names). */
    void waitForRowText(String text, String shown) {
        browser.waitFor(d -> rowText(text).contains(shown));
    }

    /**
     * Opens a task by its id, as a link to it does (Tasklist's {@code #/?task=…}), and waits for its
     * form: for a task that may be beyond the list's first page in a queue that earlier tests filled.
     */
    TasklistPage openTaskById(String taskId) {
        browser.open(baseUrl + "/camunda/app/tasklist/default/#/?task=" + taskId);
        browser.waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".fjs-container .fjs-form-field")));
        return this;
    }

    /** Opens the task whose row name contains {@code text} and waits for its form. */
    TasklistPage openTask(String text) {
        click(browser.waitFor(ExpectedConditions.elementToBeClickable(row(text))));
        browser.waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".fjs-container .fjs-form-field")));
        return this;
    }

    private static By row(String text) {
        return By.xpath("//li[contains(@class,'task')]//h4[contains(@class,'task')]/a[contains(normalize-space(.),\"" + text + "\")]");
    }

    /** Clicks the radio option with this label. */
    TasklistPage choose(String optionLabel) {
        By option = By.xpath("//div[contains(@class,'fjs-container')]//label[normalize-space(.)=\"" + optionLabel + "\"]");
        click(browser.waitFor(ExpectedConditions.elementToBeClickable(option)));
        browser.waitFor(d -> radio(optionLabel).isSelected());
        return this;
    }

    WebElement radio(String optionLabel) {
        return browser.find(By.xpath("//div[contains(@class,'fjs-container')]//label[normalize-space(.)=\"" + optionLabel
                + "\"]/ancestor-or-self::*[.//input[@type='radio']][1]//input[@type='radio']"));
    }

    /** The radio inputs of the field with this label: none checked when the field opens empty. */
    List<WebElement> radios(String fieldLabel) {
        return browser.driver().findElements(By.xpath("//div[contains(@class,'fjs-form-field')][.//*[starts-with(normalize-space(.),\""
                + fieldLabel + "\")]]//input[@type='radio']"));
    }

    /** Types into the text area whose label starts with {@code label}. */
    TasklistPage type(String label, String text) {
        textArea(label).sendKeys(text);
        return this;
    }

    /** Types into the input (text or number) whose label starts with {@code label}, and leaves it as a user does. */
    TasklistPage typeInto(String label, String text) {
        WebElement input = browser.waitFor(ExpectedConditions.elementToBeClickable(By.xpath(
                "//div[contains(@class,'fjs-form-field')][.//label[starts-with(normalize-space(.),\"" + label + "\")]]//input")));
        click(input);
        input.sendKeys(text);
        ((JavascriptExecutor) browser.driver()).executeScript("arguments[0].blur();", input);
        return this;
    }

    /** What the input whose label starts with {@code label} shows now. */
    String inputValue(String label) {
        return browser.driver().findElement(By.xpath("//div[contains(@class,'fjs-form-field')][.//label[starts-with(normalize-space(.),\""
                + label + "\")]]//input")).getDomProperty("value");
    }

    /** Empties the input whose label starts with {@code label}. */
    TasklistPage clear(String label) {
        WebElement input = browser.driver().findElement(By.xpath("//div[contains(@class,'fjs-form-field')][.//label[starts-with(normalize-space(.),\""
                + label + "\")]]//input"));
        input.sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL, "a"), org.openqa.selenium.Keys.DELETE);
        return this;
    }

    /** Picks the option {@code optionLabel} of the (form-js) select whose label starts with {@code label}. */
    TasklistPage select(String label, String optionLabel) {
        String field = "//div[contains(@class,'fjs-form-field')][.//label[starts-with(normalize-space(.),\"" + label + "\")]]";
        By display = By.xpath(field + "//div[contains(@class,'fjs-select-display')]");
        click(browser.waitFor(ExpectedConditions.elementToBeClickable(display)));
        click(browser.waitFor(ExpectedConditions.elementToBeClickable(By.xpath(
                field + "//div[contains(@class,'fjs-dropdownlist-item')][normalize-space(.)=\"" + optionLabel + "\"]"))));
        browser.waitFor(ExpectedConditions.textToBe(display, optionLabel));
        return this;
    }

    WebElement textArea(String label) {
        return browser.waitFor(ExpectedConditions.presenceOfElementLocated(By.xpath(
                "//div[contains(@class,'fjs-form-field')][.//label[starts-with(normalize-space(.),\"" + label + "\")]]//textarea")));
    }

    /** The value of a (read-only) text area, or null when the form does not show that field. */
    String textAreaValue(String label) {
        List<WebElement> found = browser.driver().findElements(By.xpath(
                "//div[contains(@class,'fjs-form-field')][.//label[starts-with(normalize-space(.),\"" + label + "\")]]//textarea"));
        return found.isEmpty() ? null : found.get(0).getDomProperty("value");
    }

    WebElement completeButton() {
        return browser.waitFor(ExpectedConditions.presenceOfElementLocated(
                By.xpath("//div[contains(@class,'form-actions')]//button[normalize-space(.)='Complete']")));
    }

    /** Waits until "Complete" can be clicked, and clicks it. */
    TasklistPage complete() {
        WebElement button = completeButton();
        browser.waitFor(d -> {
            try {
                return button.isEnabled() && button.isDisplayed();
            } catch (StaleElementReferenceException gone) {
                return false;
            }
        });
        click(button);
        return this;
    }

    /**
     * Clicks as a user would; when Tasklist's notification panel or a sticky header lies over the
     * element (headless windows are small), the click goes to the element itself.
     */
    private void click(WebElement element) {
        JavascriptExecutor js = (JavascriptExecutor) browser.driver();
        js.executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
        try {
            element.click();
        } catch (ElementClickInterceptedException covered) {
            js.executeScript("arguments[0].click();", element);
        }
    }

    /** Waits for a message (a form-js field error or a Tasklist notification) containing {@code text}. */
    String waitForMessage(String text) {
        return browser.waitFor(ExpectedConditions.visibilityOfElementLocated(By.xpath(
                "//*[(contains(@class,'fjs-form-field-error') or contains(@class,'alert') or contains(@class,'notification'))"
                        + " and contains(normalize-space(.),\"" + text + "\")]"))).getText();
    }

    /** Waits until no task of the list has this name any more (it was completed). */
    TasklistPage waitUntilGone(String text) {
        browser.waitFor(ExpectedConditions.invisibilityOfElementLocated(row(text)));
        return this;
    }

    void screenshot(String name) {
        browser.screenshot(SCREENSHOTS, name);
    }
}
