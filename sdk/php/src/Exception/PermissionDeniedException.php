<?php

declare(strict_types=1);

namespace Slotbook\Exception;

/** 403: the key lacks a scope, or the resource belongs to another organization. */
class PermissionDeniedException extends SlotbookException
{
}
