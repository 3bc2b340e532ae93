package dev.verifarm.coordinator.problem;

/** An upload that would take a submitter's stored bytes over its quota; the numbers go back to the caller. */
public final class OverQuotaException extends InvalidInputException {
    private final long used;
    private final long upload;
    private final long limit;

    public OverQuotaException(String submitter, long used, long upload, long limit) {
        super("artifact", submitter + " has " + used + " bytes of artifacts stored; this upload of " + upload
                + " bytes would exceed the limit of " + limit + " bytes per submitter (used=" + used + ", upload="
                + upload + ", limit=" + limit + "); an admin may delete artifacts no longer needed");
        this.used = used;
        this.upload = upload;
        this.limit = limit;
    }

    public long used() {
        return used;
    }

    public long upload() {
        return upload;
    }

    public long limit() {
        return limit;
    }
}
