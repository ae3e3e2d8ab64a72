<?php

declare(strict_types=1);

namespace Slotbook\Exception;

/** 400/422: the request is invalid; getDetails() lists the fields at fault. */
class ValidationException extends SlotbookException
{
}
