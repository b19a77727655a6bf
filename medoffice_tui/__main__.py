from medoffice_tui.launch import main

raise SystemExit(main())
