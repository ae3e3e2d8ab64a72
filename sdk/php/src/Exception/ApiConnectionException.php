<?php

declare(strict_types=1);

namespace Slotbook\Exception;

/** The API could not be reached, or the connection failed (after the client's retries). */
class ApiConnectionException extends SlotbookException
{
}
