from quellenlage.cli.main import main

main()
