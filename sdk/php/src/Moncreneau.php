<?php

declare(strict_types=1);

namespace Slotbook;

/** Another name of Client, so code written for the moncreneau API runs as written. */
class Moncreneau extends Client
{
}
