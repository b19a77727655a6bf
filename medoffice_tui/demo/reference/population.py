"""Who the patients are and where they live: first and last names (with accents,
hyphens and apostrophes), Chicago-area cities and streets, phone area codes, e-mail
domains and the age mix of a family practice panel."""

FEMALE_FIRST = (
    "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty "
    "Sandra Margaret Ashley Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah Stephanie "
    "Rebecca Sharon Laura Cynthia Amy Kathleen Angela Shirley Brenda Emma Anna Pamela Nicole "
    "Samantha Katherine Christine Helen Debra Rachel Carolyn Janet Maria Catherine Heather Diane "
    "Olivia Julie Joyce Victoria Ruth Virginia Lauren Kelly Christina Joan Evelyn Judith Andrea "
    "Hannah Megan Cheryl Jacqueline Martha Madison Teresa Gloria Sara Janice Ann Kathryn Abigail "
    "Sophia Frances Jean Alice Judy Isabella Julia Grace Amber Denise Danielle Marilyn Beverly "
    "Charlotte Natalie Theresa Diana Brittany Doris Kayla Alexis Lori Zoë Chloé Renée Sofía "
    "Lucía Ximena Mía Aaliyah Priya Mei Fatima Aisha Ana-Sofía Mary-Kate Siobhán Guadalupe Yesenia "
    "Keisha Latoya Imani Ngozi Hana Yuki Thu Linh Ayesha"
).split()
MALE_FIRST = (
    "James Robert John Michael David William Richard Joseph Thomas Christopher Charles Daniel "
    "Matthew Anthony Mark Donald Steven Andrew Paul Joshua Kenneth Kevin Brian George Timothy "
    "Ronald Jason Edward Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott "
    "Brandon Benjamin Samuel Gregory Alexander Patrick Frank Raymond Jack Dennis Jerry Tyler Aaron "
    "José Adam Nathan Henry Zachary Douglas Peter Kyle Noah Ethan Jeremy Walter Christian Keith "
    "Roger Terry Austin Sean Gerald Carl Harold Dylan Arthur Lawrence Jordan Jesse Bryan Billy "
    "Bruce Gabriel Joe Logan Alan Juan Albert Willie Elijah Wayne Randy Vincent Liam Mason Luis "
    "Carlos Jesús Andrés Ángel Raúl Tomás Mohammed Wei Hiroshi Rajesh Jean-Luc D'Andre Seán "
    "DeShawn Tyrone Malik Oluwaseun Minh Arjun Javier Alejandro François"
).split()
LAST_NAMES = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris "
    "Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill "
    "Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips "
    "Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers "
    "Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson "
    "Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo "
    "Sanders Patel Myers Long Ross Foster Jiménez Muñoz Peña Núñez Ibáñez Álvarez O'Neil "
    "O'Connor O'Brien D'Angelo McDonald MacKenzie Kowalski Nowak Novák Schröder Müller Björk Chen "
    "Wang Li Zhang Tran Pham Le Park Choi Singh Shah Khan Ali Okafor Adeyemi Washington Jefferson "
    "Dubois Lefèvre Rossi Russo Bianchi Svensson Johansson Olsen Jensen Brennan Gallagher "
    "Fitzgerald"
).split() + ["St. James", "Van der Berg", "De la Cruz", "Nguyễn"]

CITIES = (
    ("Chicago", "IL", "60613"),
    ("Chicago", "IL", "60618"),
    ("Chicago", "IL", "60625"),
    ("Chicago", "IL", "60640"),
    ("Chicago", "IL", "60647"),
    ("Chicago", "IL", "60657"),
    ("Chicago", "IL", "60608"),
    ("Chicago", "IL", "60622"),
    ("Evanston", "IL", "60201"),
    ("Skokie", "IL", "60076"),
    ("Oak Park", "IL", "60302"),
    ("Berwyn", "IL", "60402"),
    ("Cicero", "IL", "60804"),
    ("Des Plaines", "IL", "60016"),
    ("Park Ridge", "IL", "60068"),
    ("Naperville", "IL", "60540"),
    ("Schaumburg", "IL", "60193"),
    ("Oak Lawn", "IL", "60453"),
    ("Hammond", "IN", "46320"),
)
STREETS = (
    "Addison St",
    "Irving Park Rd",
    "Belmont Ave",
    "Fullerton Ave",
    "Diversey Pkwy",
    "Clark St",
    "Halsted St",
    "Ashland Ave",
    "Western Ave",
    "Damen Ave",
    "Kedzie Ave",
    "Pulaski Rd",
    "Cicero Ave",
    "Harlem Ave",
    "Milwaukee Ave",
    "Lincoln Ave",
    "Montrose Ave",
    "Lawrence Ave",
    "Foster Ave",
    "Devon Ave",
    "Main St",
    "Oak Ave",
    "Maple St",
    "Cedar Ln",
    "Elm St",
    "Washington Blvd",
    "Madison St",
    "Ogden Ave",
    "Roosevelt Rd",
    "Grove Ave",
)
AREA_CODES = ("312", "773", "872", "847", "630", "708", "224")
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
#: (first age, last age, weight): roughly a family practice panel
AGE_BANDS = (
    (0, 4, 7),
    (5, 17, 15),
    (18, 29, 15),
    (30, 44, 19),
    (45, 64, 25),
    (65, 79, 14),
    (80, 95, 5),
)
