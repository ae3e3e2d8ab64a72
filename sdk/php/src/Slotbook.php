<?php

declare(strict_types=1);

namespace Slotbook;

/** Another name of Client. */
class Slotbook extends Client
{
}
