<?php

declare(strict_types=1);

namespace Slotbook\Exception;

/** 5xx: the API failed or is unavailable (after the client's retries). */
class ServerException extends SlotbookException
{
}
