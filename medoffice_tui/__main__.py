from medoffice_tui.cli import main

raise SystemExit(main())
