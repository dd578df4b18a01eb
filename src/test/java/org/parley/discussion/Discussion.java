package org.parley.discussion;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.parley.testing.Browser;

import java.util.List;

/**
 * What a visitor does with a thread page in a real browser — the standalone page or the embed's frame, whichever
 * document the driver is in — through the visible labels ("Post comment", "Reply", "Edit"…), so a test reads
 * like the steps a person takes. Every action that loads a page waits for the new page before returning.
 */
final class Discussion {
    private final Browser browser;
    private final boolean scripted;

    /** @param scripted the browser runs JavaScript, so thread.js completes shared pages (the viewer's overlay) */
    Discussion(Browser browser, boolean scripted) {
        this.browser = browser;
        this.scripted = scripted;
    }

    boolean scripted() {
        return scripted;
    }

    /**
     * The heading that counts the comments ("3 comments"), once the thread is shown — with script, once thread.js
     * has added a signed-in viewer's own bits to a shared page (it marks the section data-viewer).
     */
    String heading() {
        String heading = browser.visible(By.id("discussion-heading")).getText();
        if (scripted) {
            browser.awaitDiscussionReady();
        }
        return heading;
    }

    /** The comment (its {@code <li>}) whose body contains {@code text} (no double quotes), once it is visible. */
    WebElement comment(String text) {
        return browser.visible(By.xpath("//li[contains(concat(' ', normalize-space(@class), ' '), ' comment ')]"
                + "[.//div[contains(@class, 'comment-body')][contains(normalize-space(.), \"" + text + "\")]]"));
    }

    /** The comment with this element id (comment-123), also when it was removed and shows only a tombstone. */
    WebElement commentById(String id) {
        return browser.visible(By.id(id));
    }

    /** What a removed comment still shows in its place; fails if it shows its author or text. */
    String tombstone(String id) {
        WebElement removed = commentById(id);
        if (!removed.findElements(By.cssSelector(".comment-body")).isEmpty() || !"—".equals(author(removed))) {
            throw new AssertionError("comment " + id + " still shows its author or text: " + removed.getText());
        }
        return removed.findElement(By.cssSelector(".tombstone")).getText();
    }

    List<String> bodies() {
        return browser.driver().findElements(By.cssSelector(".comment-body")).stream().map(WebElement::getText).toList();
    }

    static String author(WebElement comment) {
        return comment.findElement(By.cssSelector(".author")).getText();
    }

    /** 0 for a top-level comment, 1 for a reply to it, … (the CSS indents by it, up to 5 levels). */
    static int depth(WebElement comment) {
        String depth = comment.getDomAttribute("data-depth");
        if (depth != null) {
            return Integer.parseInt(depth);
        }
        throw new AssertionError("comment without a data-depth: " + comment.getDomProperty("outerHTML"));
    }

    String signedInAs() {
        return browser.visible(By.cssSelector(".discussion > .comment-form .signed-in")).getText();
    }

    void postAsGuest(String name, String body) {
        WebElement form = mainForm();
        form.findElement(By.id("name")).sendKeys(name);
        form.findElement(By.id("body")).sendKeys(body);
        submit(form.findElement(By.xpath(".//button[normalize-space()='Post comment']")));
    }

    void post(String body) {
        WebElement form = mainForm();
        form.findElement(By.id("body")).sendKeys(body);
        submit(form.findElement(By.xpath(".//button[normalize-space()='Post comment']")));
    }

    /** With JavaScript: Reply opens a form under the comment, on the same page. */
    void replyInline(String parentText, String body) {
        WebElement parent = comment(parentText);
        String url = browser.location();
        parent.findElement(By.linkText("Reply")).click();
        WebElement form = browser.waiting().until(ExpectedConditions.visibilityOfNestedElementsLocatedBy(
                parent, By.cssSelector(":scope > .comment-form"))).getFirst();
        if (!browser.location().equals(url)) {
            throw new AssertionError("Reply left the page for " + browser.location());
        }
        WebElement textarea = form.findElement(By.tagName("textarea"));
        if (!textarea.equals(browser.driver().switchTo().activeElement())) {
            throw new AssertionError("the inline reply form did not take the focus");
        }
        textarea.sendKeys(body);
        submit(form.findElement(By.xpath(".//button[normalize-space()='Post reply']")));
    }

    /** Without JavaScript: Reply is a link to a page with the comment quoted and a form. */
    void replyOnItsOwnPage(String parentText, String body) {
        WebElement parent = comment(parentText);
        followLink(parent.findElement(By.linkText("Reply")));
        String heading = browser.visible(By.tagName("h1")).getText();
        if (!heading.startsWith("Replying to ")) {
            throw new AssertionError("expected the reply page, got '" + heading + "'");
        }
        String quoted = browser.visible(By.cssSelector("blockquote.quoted")).getText();
        if (!quoted.contains(parentText)) {
            throw new AssertionError("the reply page quotes '" + quoted + "', not '" + parentText + "'");
        }
        browser.visible(By.id("body")).sendKeys(body);
        submit(browser.visible(By.xpath("//main//button[normalize-space()='Post reply']")));
    }

    /** Edit opens the edit page with the comment's Markdown source; saving returns to the thread. */
    void edit(String oldText, String newText) {
        followLink(comment(oldText).findElement(By.linkText("Edit")));
        browser.visible(By.xpath("//h1[normalize-space()='Edit your comment']"));
        WebElement body = browser.visible(By.id("body"));
        if (!body.getDomProperty("value").contains(oldText)) {
            throw new AssertionError("the edit form does not hold the comment's text: " + body.getDomProperty("value"));
        }
        body.clear();
        body.sendKeys(newText);
        submit(browser.visible(By.xpath("//main//button[normalize-space()='Save changes']")));
    }

    static WebElement upvoteButton(WebElement comment) {
        return comment.findElement(By.cssSelector("button[aria-label='Upvote']"));
    }

    static String score(WebElement comment) {
        return comment.findElement(By.cssSelector(".score")).getText();
    }

    void upvote(String text) {
        submit(upvoteButton(comment(text)));
    }

    /** Delete; with JavaScript the browser asks first, and the visitor says yes. */
    void delete(String text, boolean expectConfirmation) {
        WebElement page = browser.driver().findElement(By.tagName("html"));
        WebElement button = comment(text).findElement(By.xpath(".//button[normalize-space()='Delete']"));
        button.click();
        if (expectConfirmation) {
            var alert = browser.waiting().until(ExpectedConditions.alertIsPresent());
            if (!"Delete this comment?".equals(alert.getText())) {
                throw new AssertionError("unexpected confirmation: " + alert.getText());
            }
            alert.accept();
        }
        browser.awaitReplaced(page);
        heading();
    }

    /** Sign up from the thread's "Sign up" link; the form sends the visitor back to the thread, signed in. */
    void signUp(String name, String email, String password) {
        followLink(mainForm().findElement(By.linkText("Sign up")));
        browser.visible(By.xpath("//h1[normalize-space()='Sign up']"));
        browser.visible(By.id("name")).sendKeys(name);
        browser.visible(By.id("email")).sendKeys(email);
        browser.visible(By.id("password")).sendKeys(password);
        submit(browser.visible(By.xpath("//main//button[normalize-space()='Sign up']")));
    }

    /**
     * Inside the frame: Sign in → "Forgot your password?" → the address → "Check your inbox" (still in the frame).
     * Returns the heading the frame shows then.
     */
    String askForPasswordReset(String email) {
        followLink(mainForm().findElement(By.linkText("Sign in")));
        followLink(browser.visible(By.linkText("Forgot your password?")));
        browser.visible(By.id("email")).sendKeys(email);
        WebElement page = browser.driver().findElement(By.tagName("html"));
        browser.visible(By.xpath("//main//button[normalize-space()='Send the link']")).click();
        browser.awaitReplaced(page);
        return browser.visible(By.tagName("h1")).getText();
    }

    /** Signs in from the frame's form with an existing account. */
    void signIn(String email, String password) {
        followLink(mainForm().findElement(By.linkText("Sign in")));
        browser.visible(By.id("email")).sendKeys(email);
        browser.visible(By.id("password")).sendKeys(password);
        submit(browser.visible(By.xpath("//main//button[normalize-space()='Sign in']")));
    }

    private WebElement mainForm() {
        return browser.visible(By.cssSelector(".discussion > .comment-form"));
    }

    /** Clicks a submit button and waits for the page it leads to (post/redirect/get back to the thread). */
    private void submit(WebElement button) {
        WebElement page = browser.driver().findElement(By.tagName("html"));
        button.click();
        browser.awaitReplaced(page);
        heading();
    }

    private void followLink(WebElement link) {
        WebElement page = browser.driver().findElement(By.tagName("html"));
        link.click();
        browser.awaitReplaced(page);
    }
}
