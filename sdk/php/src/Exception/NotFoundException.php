<?php

declare(strict_types=1);

namespace Slotbook\Exception;

/** 404: no such resource. */
class NotFoundException extends SlotbookException
{
}
