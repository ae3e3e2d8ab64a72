<?php

declare(strict_types=1);

namespace Slotbook\Exception;

/** 409: the request conflicts with the current state. */
class ConflictException extends SlotbookException
{
}
