package dev.slotbook.client.model;

import java.util.List;

/** The organization's credit balance and one page of its ledger, newest first. */
public class CreditStatement extends Model {
    private Integer balance;
    private Integer creditsLowThreshold;
    private List<LedgerEntry> ledger;
    private Integer page;
    private Integer size;
    private Long totalElements;
    private Integer totalPages;
    private Boolean isLast;

    /** Credits left: each booking takes one, each cancellation gives it back. */
    public int getBalance() {
        return balance == null ? 0 : balance;
    }

    /** Under this balance a {@code credits.low} webhook is sent; null when off. */
    public Integer getCreditsLowThreshold() {
        return creditsLowThreshold;
    }

    public List<LedgerEntry> getLedger() {
        return ledger == null ? List.of() : List.copyOf(ledger);
    }

    public int getPage() {
        return page == null ? 0 : page;
    }

    public int getSize() {
        return size == null ? 0 : size;
    }

    public long getTotalElements() {
        return totalElements == null ? 0 : totalElements;
    }

    public int getTotalPages() {
        return totalPages == null ? 0 : totalPages;
    }

    public boolean isLast() {
        return isLast == null || isLast;
    }
}
