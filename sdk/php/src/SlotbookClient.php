<?php

declare(strict_types=1);

namespace Slotbook;

/** Another name of Client. */
class SlotbookClient extends Client
{
}
