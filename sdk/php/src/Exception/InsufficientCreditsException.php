<?php

declare(strict_types=1);

namespace Slotbook\Exception;

/** 402: the organization has no credit left to book. */
class InsufficientCreditsException extends SlotbookException
{
}
