<?php

declare(strict_types=1);

namespace Slotbook\Exception;

/** A booking rule refused the request; getRule() (= getCode()) names it, e.g. SLOT_UNAVAILABLE. */
class BookingRuleException extends SlotbookException
{
    public function getRule(): string
    {
        return $this->getErrorCode();
    }
}
