<?php

declare(strict_types=1);

namespace Slotbook\Exception;

/** 412 VERSION_MISMATCH: the resource changed since the version given as ifMatch. */
class PreconditionFailedException extends ConflictException
{
}
