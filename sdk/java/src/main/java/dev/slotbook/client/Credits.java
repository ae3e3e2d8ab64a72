package dev.slotbook.client;

import dev.slotbook.client.model.CreditStatement;

/** {@code client.credits()}: the organization's credit balance and ledger. */
public final class Credits {
    private final Http http;

    Credits(Http http) {
        this.http = http;
    }

    /** The balance and the newest page of the ledger. */
    public CreditStatement get() {
        return Json.convert(http.send(new Call("GET", "api/v1/credits")), CreditStatement.class);
    }

    /** The balance and one page of the ledger (pages from 0, newest first). */
    public CreditStatement get(int page, int size) {
        Call call = new Call("GET", "api/v1/credits").param("page", page).param("size", size);
        return Json.convert(http.send(call), CreditStatement.class);
    }
}
